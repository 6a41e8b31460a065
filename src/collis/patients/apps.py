from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "collis.patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from collis.patients import privacy
        from collis.patients.privacy import register_anonymiser, register_export_section

        privacy.register_builtin_sections()
        register_export_section("diagnosis", privacy.export_diagnosis)
        register_anonymiser("diagnosis", privacy.anonymise_diagnosis)
        register_export_section("visits", privacy.export_visits)
        register_anonymiser("visits", privacy.anonymise_visit_notes)
