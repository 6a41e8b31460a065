from django.apps import AppConfig


class ScalesConfig(AppConfig):
    name = "collis.scales"
    verbose_name = "Rating scales"
