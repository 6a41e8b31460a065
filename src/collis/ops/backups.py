"""Back up and restore the database and the private media as one encrypted archive.

PostgreSQL goes through ``pg_dump --format=custom --snapshot`` / ``pg_restore``; SQLite through
the sqlite3 online-backup API. The manifest's row counts are taken *inside the dumped snapshot*
(PostgreSQL: a REPEATABLE READ transaction exports its snapshot and pg_dump reads that very
snapshot; SQLite: counted in the copy itself), so a backup of a busy clinic restores to exactly
the counts it recorded. Media files are read through Django's storage API (local disk or S3) and
listed in the manifest with their SHA-256, which the restore checks.

Archives are created mode 0600 and, when ``BACKUP_ENCRYPTION_KEY`` is set (required with
``DEBUG=false``), encrypted with ``collis.ops.crypto`` (streaming AES-256-GCM).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

from collis.ops import crypto

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
    encrypted: bool = False
    media: dict[str, str] = field(default_factory=dict)


def model_tables() -> list[str]:
    existing = set(connection.introspection.table_names())
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table in existing:
            tables.add(table)
    return sorted(tables)


def table_row_counts() -> dict[str, int]:
    """Rows per model table that exists, for every installed model (the manifest's fingerprint)."""
    qn = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in model_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")  # noqa: S608 - our table names
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(path: Path, tables: list[str]) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        db.close()


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


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump the snapshot in which the row counts are taken; return those counts."""
    if connection.in_atomic_block:
        raise BackupError("a PostgreSQL backup must start outside any transaction")
    args, env = _pg_env()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_row_counts()
        # The transaction stays open while pg_dump runs: its snapshot is the one exported.
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                *args,
                "--file",
                str(target),
                connection.settings_dict["NAME"],
            ],
            env,
        )
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    tables = model_tables()
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    with copy:
        connection.connection.backup(copy)
    copy.close()
    return _sqlite_counts(target, tables)  # counted in the copy: the same moment by definition


def _storage_files(storage, directory: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from _storage_files(storage, f"{directory}/{sub}" if directory else sub)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def _open_private(path: Path):
    """Create ``path`` readable by its owner only, whatever the umask; never overwrite."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def encryption_key() -> bytes | None:
    raw = getattr(settings, "BACKUP_ENCRYPTION_KEY", "")
    if not raw:
        return None
    try:
        return crypto.parse_key(raw)
    except ValueError as exc:
        raise BackupError(f"BACKUP_ENCRYPTION_KEY: {exc}") from exc


def create_backup(destination_dir: Path, *, allow_unencrypted: bool = False) -> BackupInfo:
    """Write ``collis-<UTC time>.tar.gz[.enc]`` into ``destination_dir``; return its details."""
    key = encryption_key()
    if key is None and not settings.DEBUG and not allow_unencrypted:
        raise BackupError(
            "Set BACKUP_ENCRYPTION_KEY (manage.py backup_key makes one) to back up health data; "
            "--unencrypted writes a plain archive."
        )
    destination_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(destination_dir, 0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    archive = destination_dir / f"collis-{stamp}.tar.gz{'.enc' if key else ''}"
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if vendor == "sqlite":
            db_file = SQLITE_FILE
            counts = _dump_sqlite(work / db_file)
        elif vendor == "postgresql":
            db_file = PG_FILE
            counts = _dump_postgresql(work / db_file)
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        with _open_private(archive) as raw:
            sink = crypto.EncryptingWriter(raw, key) if key else raw
            media = {}
            with tarfile.open(fileobj=sink, mode="w|gz") as tar:
                tar.add(work / db_file, arcname=db_file)
                for name in _storage_files(default_storage):
                    info = tarfile.TarInfo(f"{MEDIA_DIR}/{name}")
                    info.size = default_storage.size(name)
                    info.mode = 0o600
                    with default_storage.open(name, "rb") as handle:
                        hashing = _Hashing(handle)
                        tar.addfile(info, hashing)
                        media[name] = hashing.hexdigest()
                manifest = {
                    "created": stamp,
                    "engine": vendor,
                    "database_file": db_file,
                    "row_counts": counts,
                    "media_sha256": media,
                    "format": 2,
                }
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
            if key:
                sink.close()
    return BackupInfo(archive, vendor, counts, encrypted=key is not None, media=media)


class _Hashing:
    """Wrap a storage file: tarfile reads it, we hash what it reads."""

    def __init__(self, handle) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        block = self._handle.read(size)
        self._digest.update(block)
        return block

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


@contextlib.contextmanager
def _plain_archive(archive: Path) -> Iterator[Path]:
    """The archive as a plain .tar.gz path (decrypted into a private temp file if needed)."""
    if not crypto.is_encrypted(archive):
        yield archive
        return
    key = encryption_key()
    if key is None:
        raise BackupError(f"{archive} is encrypted: set BACKUP_ENCRYPTION_KEY to the clinic's key")
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "archive.tar.gz"
        with open(archive, "rb") as source, _open_private(plain) as sink:
            try:
                crypto.decrypt_stream(source, sink, key)
            except crypto.DecryptionError as exc:
                raise BackupError(f"{archive}: {exc}") from exc
        yield plain


def read_manifest(archive: Path) -> dict:
    try:
        with _plain_archive(archive) as plain, tarfile.open(plain, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise BackupError(f"{archive} has no manifest")
            return json.load(member)
    except (tarfile.TarError, OSError, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive} is not a Collis backup: {exc}") from exc


def restore_backup(archive: Path, *, allow_non_empty: bool = False) -> dict[str, int]:
    """Restore ``archive`` into the configured database and media storage, and verify it.

    Refuses to overwrite a database that already holds rows unless ``allow_non_empty``.
    Returns the row counts after the restore (equal to the manifest's, or BackupError);
    every media file's SHA-256 is checked against the manifest too.
    """
    manifest = read_manifest(archive)
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"The backup is from {manifest['engine']}, this database is {vendor}.")
    if not allow_non_empty and _database_has_rows():
        raise BackupError("The target database is not empty; pass --force to overwrite it.")
    with tempfile.TemporaryDirectory() as tmp, _plain_archive(archive) as plain:
        work = Path(tmp)
        with tarfile.open(plain, "r:gz") as tar:
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
            _restore_media(media, manifest.get("media_sha256"))
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


def _restore_media(source: Path, expected: dict[str, str] | None) -> None:
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        with path.open("rb") as handle:
            digest = _sha256(handle)
        if expected is not None and expected.get(name) != digest:
            raise BackupError(f"media file {name} does not match its checksum in the manifest")
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"media file {name} was stored as {saved}")
