from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "collis.jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # The project's Celery app, configured from Django settings (CELERY_*), becomes the
        # current app of every process: the web servers publish with its settings, not
        # Celery's defaults.
        from collis.jobs import celery_app  # noqa: F401
