from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "collis.api"
    verbose_name = "JSON API"
