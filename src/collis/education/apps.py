from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "collis.education"
    verbose_name = "Patient education"

    def ready(self) -> None:
        from collis.lib.fragments import watch_public_models

        # Cached public fragments (home, directory, pages) are retired on every edit here.
        watch_public_models("education")
