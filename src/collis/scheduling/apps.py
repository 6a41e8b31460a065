from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "collis.scheduling"
    verbose_name = "Scheduling"
