from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "collis.education"
    verbose_name = "Patient education"
