from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "collis.providers"
    verbose_name = "Clinic and providers"
