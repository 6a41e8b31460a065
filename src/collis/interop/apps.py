from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "collis.interop"
    verbose_name = "Interoperability (FHIR, iCalendar)"
