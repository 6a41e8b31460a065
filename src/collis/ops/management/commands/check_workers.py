import time

from django.core.management.base import BaseCommand, CommandError

from collis.jobs.actions import enqueue
from collis.jobs.backends import backend_name
from collis.jobs.models import Job
from collis.ops.jobs import CANARY_JOB


class Command(BaseCommand):
    help = "Send a canary job through the configured job backend and wait for it to finish."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--timeout", type=float, default=60.0)

    def handle(self, *args: object, **options: object) -> None:
        job = enqueue(CANARY_JOB, seconds=0.5)
        deadline = time.monotonic() + float(options["timeout"])
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.2)
        if job.state != Job.State.DONE:
            raise CommandError(
                f"Canary job #{job.pk} is {job.state} after {options['timeout']} s on the "
                f"{backend_name()} backend: {job.error or 'no worker took it'}"
            )
        self.stdout.write(f"Workers OK: canary job #{job.pk} done on the {backend_name()} backend.")
