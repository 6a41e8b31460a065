from django.apps import AppConfig


class RecordingsConfig(AppConfig):
    name = "collis.recordings"
    verbose_name = "Posture recordings"

    def ready(self) -> None:
        from collis.accounts.privacy import register_anonymiser, register_export_section
        from collis.recordings import privacy

        register_export_section("posture_recordings", privacy.export_measurements)
        register_anonymiser("posture_recordings", privacy.delete_media)
