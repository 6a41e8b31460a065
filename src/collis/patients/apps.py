from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "collis.patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from collis.accounts.privacy import register_anonymiser, register_export_section
        from collis.patients import privacy

        register_export_section("clinical_record", privacy.export_clinical_record)
        register_anonymiser("patients", privacy.anonymise_notes)
