from django.apps import AppConfig


class ScalesConfig(AppConfig):
    name = "collis.scales"
    verbose_name = "Rating scales"

    def ready(self) -> None:
        from collis.patients.privacy import register_export_section
        from collis.scales import privacy

        register_export_section("scales", privacy.export_scales)
