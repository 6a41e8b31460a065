from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "collis.diary"
    verbose_name = "Symptom diary and home programme"

    def ready(self) -> None:
        from collis.diary import privacy
        from collis.patients.privacy import register_anonymiser, register_export_section

        register_export_section("diary", privacy.export_diary)
        register_anonymiser("diary", privacy.anonymise_notes)
