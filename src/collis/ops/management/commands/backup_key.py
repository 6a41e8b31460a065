from django.core.management.base import BaseCommand

from collis.ops.crypto import new_key


class Command(BaseCommand):
    help = "Print a new backup encryption key (set it as BACKUP_ENCRYPTION_KEY; keep a copy safe)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(new_key())
