from django.apps import AppConfig


class ChartConfig(AppConfig):
    name = "collis.chart"
    verbose_name = "Patient chart"
