from django.core.management.base import BaseCommand

from collis.scheduling.actions import send_due_reminders


class Command(BaseCommand):
    help = "Send appointment reminders that are due (each appointment and kind exactly once)."

    def handle(self, *args: object, **options: object) -> None:
        counts = send_due_reminders()
        self.stdout.write(
            f"Reminders: {counts['sent']} sent, {counts['failed']} failed (will retry), "
            f"{counts['skipped']} skipped."
        )
