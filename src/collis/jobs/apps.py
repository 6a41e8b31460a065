from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "collis.jobs"
    verbose_name = "Background jobs"
