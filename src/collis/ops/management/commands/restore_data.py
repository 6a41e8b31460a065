from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from collis.ops.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive made by backup_data into the configured database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Overwrite a non-empty database.")

    def handle(self, *args: object, **options: object) -> None:
        archive = Path(str(options["archive"]))
        if not archive.is_file():
            raise CommandError(f"No backup archive at {archive}")
        try:
            counts = restore_backup(archive, allow_non_empty=bool(options["force"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {sum(counts.values())} rows from {archive}.")
