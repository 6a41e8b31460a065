from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "collis.scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from collis.patients.privacy import register_anonymiser, register_export_section
        from collis.scheduling import privacy

        register_export_section("scheduling", privacy.export_scheduling)
        register_anonymiser("scheduling", privacy.anonymise_scheduling)
