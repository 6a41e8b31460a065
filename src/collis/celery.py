"""The Celery application, for ``celery -A collis worker`` and ``celery -A collis beat``.

It is defined in :mod:`collis.jobs.celery_app` and used only when CELERY_BROKER_URL is set.
"""

from collis.jobs.celery_app import app

__all__ = ["app"]
