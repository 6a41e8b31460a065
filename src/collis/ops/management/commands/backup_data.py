from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from collis.ops.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and private media into one .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default=str(Path(settings.VAR_DIR) / "backups"))
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help="Write a plain archive even without BACKUP_ENCRYPTION_KEY (not for health data).",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            info = create_backup(
                Path(str(options["dir"])), allow_unencrypted=bool(options["unencrypted"])
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(info.row_counts.values())
        state = "encrypted" if info.encrypted else "NOT encrypted"
        self.stdout.write(
            f"{info.path}  ({info.engine}, {rows} rows, {len(info.media)} media files, {state})"
        )
