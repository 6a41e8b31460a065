from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "collis.ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from collis.ops import checks  # noqa: F401  (registers the system checks)
