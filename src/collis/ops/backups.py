"""Back up and restore the database and the private media folder as one archive.

PostgreSQL goes through ``pg_dump --format=custom`` / ``pg_restore``; SQLite through the sqlite3
online-backup API (a consistent copy while the site runs). The archive also holds a manifest
with row counts per table, so a restore can be checked against what was saved.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    engine: str
    row_counts: dict[str, int]


def table_row_counts() -> dict[str, int]:
    """Rows per model table that exists, for every installed model (the manifest's fingerprint)."""
    existing = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table in existing:
            counts[table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip()[:500]}")


def create_backup(destination_dir: Path) -> BackupInfo:
    """Write ``collis-<UTC timestamp>.tar.gz`` into ``destination_dir`` and return its details."""
    destination_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    archive = destination_dir / f"collis-{stamp}.tar.gz"
    vendor = connection.vendor
    counts = table_row_counts()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(work / SQLITE_FILE)
            with target:
                connection.connection.backup(target)
            target.close()
            db_file = SQLITE_FILE
        elif vendor == "postgresql":
            args, env = _pg_env()
            db_file = PG_FILE
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    *args,
                    "--file",
                    str(work / PG_FILE),
                    connection.settings_dict["NAME"],
                ],
                env,
            )
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        manifest = {
            "created": stamp,
            "engine": vendor,
            "database_file": db_file,
            "row_counts": counts,
            "format": 1,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(work / db_file, arcname=db_file)
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.is_dir():
                tar.add(media_root, arcname=MEDIA_DIR)
    return BackupInfo(archive, vendor, counts)


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise BackupError(f"{archive} has no manifest")
            return json.load(member)
    except (tarfile.TarError, OSError, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive} is not a Collis backup: {exc}") from exc


def restore_backup(archive: Path, *, allow_non_empty: bool = False) -> dict[str, int]:
    """Restore ``archive`` into the configured database and media folder.

    Refuses to overwrite a database that already holds rows unless ``allow_non_empty``.
    Returns the row counts after the restore (equal to the manifest's on success).
    """
    manifest = read_manifest(archive)
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"The backup is from {manifest['engine']}, this database is {vendor}.")
    if not allow_non_empty and _database_has_rows():
        raise BackupError("The target database is not empty; pass --force to overwrite it.")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        if vendor == "sqlite":
            source = sqlite3.connect(work / SQLITE_FILE)
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            args, env = _pg_env()
            connection.close()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(work / PG_FILE),
                ],
                env,
            )
        media = work / MEDIA_DIR
        if media.is_dir():
            _copy_tree(media, Path(settings.MEDIA_ROOT))
    counts = table_row_counts()
    if counts != manifest["row_counts"]:
        diff = {
            t: (manifest["row_counts"].get(t), counts.get(t))
            for t in set(counts) | set(manifest["row_counts"])
            if counts.get(t) != manifest["row_counts"].get(t)
        }
        raise BackupError(f"Restored row counts differ from the backup: {diff}")
    return counts


def _database_has_rows() -> bool:
    return any(table_row_counts().values())


def _copy_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(path.read_bytes())
