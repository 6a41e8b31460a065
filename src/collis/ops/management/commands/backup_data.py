from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from collis.ops.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and private media into one .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default=str(Path(settings.VAR_DIR) / "backups"))

    def handle(self, *args: object, **options: object) -> None:
        try:
            info = create_backup(Path(str(options["dir"])))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(info.row_counts.values())
        self.stdout.write(f"{info.path}  ({info.engine}, {rows} rows)")
