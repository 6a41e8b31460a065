from django.core.management.base import BaseCommand

from collis.jobs.backends import run_due_jobs


class Command(BaseCommand):
    help = "Run every queued background job that is due, once, in this process."

    def handle(self, *args: object, **options: object) -> None:
        count = run_due_jobs()
        self.stdout.write(f"Ran {count} job(s).")
