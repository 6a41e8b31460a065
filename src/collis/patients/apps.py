from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "collis.patients"
    verbose_name = "Patients"
