from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "collis.ops"
    verbose_name = "Operations"
