from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "collis.providers"
    verbose_name = "Clinic and providers"

    def ready(self) -> None:
        from collis.lib.fragments import watch_public_models

        # Cached public fragments (home, directory, pages) are retired on every edit here.
        watch_public_models("providers")
