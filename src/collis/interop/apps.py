from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "collis.interop"
    verbose_name = "Interoperability (FHIR, iCalendar)"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from collis.interop.smart.cors import registered_origin

        check_request_enabled.connect(registered_origin, dispatch_uid="collis-smart-cors")

        from collis.interop import privacy
        from collis.patients.privacy import register_anonymiser

        register_anonymiser("bulk_exports", privacy.erase_bulk_exports)
