"""The Celery application, used only when CELERY_BROKER_URL is set.

Start workers with ``celery -A collis worker`` and the schedule with ``celery -A collis beat``
(``collis.celery`` hands this app on). ``JobsConfig.ready()`` imports it, so it is the current
Celery app of every Django process, configured from the CELERY_* settings.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")

app = Celery("collis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["collis.jobs"])


@app.on_after_finalize.connect
def _schedule_periodic_jobs(sender: Celery, **kwargs: object) -> None:
    from collis.jobs.registry import periodic_jobs
    from collis.jobs.tasks import enqueue_periodic, redispatch_queued

    # Every 15 s: jobs queued while the broker was down, and (PostgreSQL) jobs whose worker died.
    sender.add_periodic_task(15.0, redispatch_queued.s(), name="collis.jobs.redispatch_queued")

    for spec in periodic_jobs():
        sender.add_periodic_task(
            spec.every.total_seconds(), enqueue_periodic.s(spec.job_name), name=spec.job_name
        )
