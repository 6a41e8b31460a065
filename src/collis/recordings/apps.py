from django.apps import AppConfig


class RecordingsConfig(AppConfig):
    name = "collis.recordings"
    verbose_name = "Posture recordings"

    def ready(self) -> None:
        from collis.patients.privacy import register_anonymiser, register_export_section
        from collis.recordings import privacy
        from collis.recordings.record import visit_twstrs_caveats, visit_twstrs_severity
        from collis.scales.ports import register_posture_caveats, register_posture_severity

        register_export_section("posture_recordings", privacy.export_measurements)
        register_anonymiser("posture_recordings", privacy.delete_media)
        register_posture_severity(visit_twstrs_severity)
        register_posture_caveats(visit_twstrs_caveats)
