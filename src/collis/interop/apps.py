from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "collis.interop"
    verbose_name = "Interoperability (FHIR, iCalendar)"

    def ready(self) -> None:
        from collis.accounts.privacy import register_anonymiser
        from collis.interop import privacy

        register_anonymiser("bulk_exports", privacy.erase_bulk_exports)
