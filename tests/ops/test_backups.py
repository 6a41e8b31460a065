"""A backup restores into an empty database that then holds exactly the original rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from collis.ops.backups import BackupError, create_backup, read_manifest, restore_backup
from collis.ops.crypto import new_key

KEY = new_key()


@pytest.fixture(autouse=True)
def _backup_key(settings):
    settings.BACKUP_ENCRYPTION_KEY = KEY


ROOT = Path(__file__).resolve().parents[2]
DUMP_ARGS = ["dumpdata", "--natural-foreign", "--indent", "0",
             "-e", "contenttypes", "-e", "auth.permission", "-e", "sessions"]  # fmt: skip


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.fixture
def empty_target_database(tmp_path):
    """A brand-new database of the same engine, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"collis_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    port = db.get("PORT") or 5432
    yield f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{port}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_backup_restores_identically_into_an_empty_database(
    tmp_path, empty_target_database, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "recordings").mkdir(parents=True)
    (tmp_path / "media" / "recordings" / "clip.bin").write_bytes(b"\x00\x01synthetic")
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("backup_data", "--dir", str(tmp_path / "backups"), stdout=out)
    archive = Path(out.getvalue().split()[0])
    manifest = read_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"]["patients_patient"] == 40

    original = StringIO()
    call_command(*DUMP_ARGS, stdout=original)

    target_media = tmp_path / "restored-media"
    env = {
        "DATABASE_URL": empty_target_database,
        "MEDIA_ROOT": str(target_media),
        "BACKUP_ENCRYPTION_KEY": KEY,
    }
    restored = _manage(env, "restore_data", str(archive))
    assert restored.returncode == 0, restored.stderr
    dumped = _manage(env, *DUMP_ARGS)
    assert dumped.returncode == 0, dumped.stderr
    assert json.loads(dumped.stdout) == json.loads(original.getvalue())
    assert (target_media / "recordings" / "clip.bin").read_bytes() == b"\x00\x01synthetic"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_database(tmp_path):
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("backup_data", "--dir", str(tmp_path), stdout=out)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(Path(out.getvalue().split()[0]))


def test_restore_rejects_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tarball")
    with pytest.raises(BackupError, match="not a Collis backup"):
        read_manifest(bogus)


@pytest.mark.django_db(transaction=True)
def test_archive_is_private_and_encrypted_with_the_clinic_key(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "face.webm").write_bytes(b"FACE-VIDEO-BYTES" * 1000)
    call_command("seed_demo", stdout=StringIO())
    info = create_backup(tmp_path / "backups")
    assert info.encrypted and info.path.name.endswith(".tar.gz.enc")
    assert info.path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    raw = info.path.read_bytes()
    assert raw.startswith(b"COLLIS-ENC1")
    assert b"FACE-VIDEO-BYTES" not in raw and b"manifest" not in raw
    assert read_manifest(info.path)["media_sha256"]["face.webm"]

    settings.BACKUP_ENCRYPTION_KEY = new_key()  # someone else's key
    with pytest.raises(BackupError, match="wrong key"):
        read_manifest(info.path)
    settings.BACKUP_ENCRYPTION_KEY = KEY
    cut = tmp_path / "cut.tar.gz.enc"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(BackupError, match="cut short|altered"):
        read_manifest(cut)


@pytest.mark.django_db(transaction=True)
def test_production_refuses_an_unencrypted_backup(tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = ""
    settings.DEBUG = False
    with pytest.raises(BackupError, match="BACKUP_ENCRYPTION_KEY"):
        create_backup(tmp_path)
    assert create_backup(tmp_path, allow_unencrypted=True).encrypted is False


@pytest.mark.django_db(transaction=True)
def test_live_backup_counts_match_the_dump_while_rows_are_written(
    tmp_path, empty_target_database, settings
):
    """Issue #20: rows written during the backup must not make its own restore check fail."""
    import threading
    import time

    from django.db import connection as conn

    from collis.jobs.models import Job

    call_command("seed_demo", stdout=StringIO())
    stop = threading.Event()
    written = []

    def writer() -> None:
        try:
            while not stop.is_set():
                Job.objects.create(name="ops.canary", kwargs={"n": len(written)})
                written.append(1)
                time.sleep(0.002)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        info = create_backup(tmp_path / "backups")
        time.sleep(0.2)
    finally:
        stop.set()
        thread.join(30)
    assert len(written) > 20  # the clinic really was busy during the backup
    env = {"DATABASE_URL": empty_target_database, "BACKUP_ENCRYPTION_KEY": KEY}
    env["MEDIA_ROOT"] = str(tmp_path / "restored-media")
    restored = _manage(env, "restore_data", str(info.path))
    assert restored.returncode == 0, restored.stderr


@pytest.mark.django_db(transaction=True)
def test_backup_reads_media_from_object_storage(tmp_path, s3_storage):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("posture/originals/a.jpg", ContentFile(b"JPEG-BYTES"))
    info = create_backup(tmp_path / "backups")
    manifest = read_manifest(info.path)
    assert set(manifest["media_sha256"]) == {"posture/originals/a.jpg"}
    import hashlib

    expected = hashlib.sha256(b"JPEG-BYTES").hexdigest()
    assert manifest["media_sha256"]["posture/originals/a.jpg"] == expected
