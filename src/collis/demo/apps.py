from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "collis.demo"
    verbose_name = "Demo data"
