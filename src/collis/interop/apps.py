from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "collis.interop"
    verbose_name = "Interoperability (FHIR, iCalendar)"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        # Each served FHIR type registers itself in fhir.resources.REGISTRY when its module is
        # imported (as admin.autodiscover does): the registry never imports its members.
        from collis.interop.fhir import (  # noqa: F401
            chart_resources,
            clinical_resources,
            group_resources,
            scheduling_resources,
            supply_resources,
        )
        from collis.interop.smart.cors import registered_origin

        check_request_enabled.connect(registered_origin, dispatch_uid="collis-smart-cors")

        from collis.interop import privacy
        from collis.patients.privacy import register_anonymiser

        register_anonymiser("bulk_exports", privacy.erase_bulk_exports)
