from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "collis.checkins"
    verbose_name = "Home video check-ins"

    def ready(self) -> None:
        from collis.checkins import privacy, record
        from collis.patients.ports import register_list_flags
        from collis.patients.privacy import register_anonymiser, register_export_section
        from collis.scheduling.ports import register_recall_notes

        register_export_section("home_checkins", privacy.export_checkins)
        register_anonymiser("home_checkins", privacy.delete_media)
        register_recall_notes("home_checkins", record.recall_notes)
        register_list_flags("home_checkins", record.patient_list_flags)
