"""Personas shared by every test: one user per role, and two patients to test isolation."""

from __future__ import annotations

import socket

import pytest
from hypothesis import settings as hypothesis_settings

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role

# Hypothesis' 200 ms per-example deadline measures the machine, not the code: with the suite
# on every core (pytest-xdist) beside Chromium, a busy CI box misses it. Examples still run.
hypothesis_settings.register_profile("collis", deadline=None)
hypothesis_settings.load_profile("collis")

# Under pytest-xdist (``make test`` runs ``-n auto --dist loadgroup``) tests of one group run on
# one worker: the posture tests share MediaPipe results computed once per worker session, and
# the Celery tests share one Redis queue that a second worker would drain, and the beat-lock
# tests one Redis key that a second worker would take.
_XDIST_GROUPS = {
    ("tests", "posture"): "posture",
    ("tests", "jobs", "test_celery.py"): "redis",
    ("tests", "jobs", "test_beat_lock.py"): "redis",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        parts = item.path.relative_to(root).parts if item.path.is_relative_to(root) else ()
        for prefix, group in _XDIST_GROUPS.items():
            if parts[: len(prefix)] == prefix:
                item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session", autouse=True)
def _no_session_outlives_the_test_database(django_db_setup, django_db_blocker):
    """PostgreSQL: before the test database is dropped, stop this process's job worker thread
    and end (and name, on stderr) any other session still on the database.

    A session left open by a worker thread or a child process would make DROP DATABASE fail and
    the whole run red after every test passed."""
    yield
    import sys

    from django.db import connection

    from collis.jobs.backends import InProcessWorker

    InProcessWorker.stop()  # tests on the "thread" backend leave it polling, connected
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for pid, application, state, query in cursor.fetchall():
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            sys.__stderr__.write(
                f"\nnote: a database session outlived the tests and was ended: pid {pid} "
                f"{application!r} {state}: {query}\n"
            )
    connection.close()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Block connections to anything but this machine: tests must never reach the network."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (
            host in {"localhost", "::1"} or host.startswith("127.") or host.startswith("/")
        ):
            return real_connect(self, address)
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        raise OSError(f"network access blocked in tests: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def administrator(db):
    return ensure_user_with_role(
        "t-admin", Role.ADMINISTRATOR, password="pw-admin-123456", superuser=True
    )


@pytest.fixture
def front_desk(db):
    return ensure_user_with_role("t-desk", Role.FRONT_DESK, password="pw-desk-123456")


@pytest.fixture
def clinician_user(db):
    return ensure_user_with_role("t-clinician", Role.CLINICIAN, password="pw-clin-123456")


@pytest.fixture
def colleague_user(db):
    return ensure_user_with_role("t-colleague", Role.CLINICIAN, password="pw-coll-123456")


@pytest.fixture
def patient_user(db):
    return ensure_user_with_role("t-patient", Role.PATIENT, password="pw-pat-1234567")


@pytest.fixture
def outsider(db):
    """A signed-in account that holds no role at all."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("t-outsider", password="pw-out-123456")


# Tables the demo clinic does not write: Django fills them at migrate time, per database.
_NOT_DEMO_DATA = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def _rows() -> dict[tuple[str, object], dict]:
    """Every row of the database but ``_NOT_DEMO_DATA``, serialised, keyed by (model, pk)."""
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "dumpdata", exclude=_NOT_DEMO_DATA, use_base_manager=True, format="json", stdout=out
    )
    return {(row["model"], row["pk"]): row for row in json.loads(out.getvalue())}


@pytest.fixture(scope="session")
def _demo_clinic(django_db_setup, django_db_blocker) -> tuple[list[dict], list[dict]]:
    """What ``seed_demo`` adds to and changes in a migrated database: (new rows, changed rows).

    Seeded once per session (per xdist worker, each with its own database) with the settings
    that the autouse fixtures give every test (fast password hashing, inline jobs), inside a
    transaction that is then rolled back: the database is left as migrations made it.
    """
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            JOBS_BACKEND="sync",
        ),
        transaction.atomic(),
    ):
        before = _rows()
        call_command("seed_demo", stdout=StringIO())
        after = _rows()
        transaction.set_rollback(True)
    gone = before.keys() - after.keys()
    assert not gone, f"seed_demo deleted rows; the demo_data fixture cannot replay that: {gone}"
    new = [row for key, row in after.items() if key not in before]
    changed = [row for key, row in after.items() if key in before and before[key] != row]
    return new, changed


@pytest.fixture
def demo_data(db, _demo_clinic):
    """The demo clinic (``manage.py seed_demo``) in this test's database.

    Replayed from the session's copy, in bulk: the same rows with the same keys as seeding here
    would make (``_demo_first`` loads it before any other fixture writes, so keys cannot clash).
    """
    new, changed = _demo_clinic
    _insert_rows(new)
    from django.core import serializers

    for found in serializers.deserialize("python", changed):
        found.save()


def _insert_rows(rows: list[dict]) -> None:
    from collections import defaultdict

    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection

    instances = defaultdict(list)
    links = defaultdict(list)
    for found in serializers.deserialize("python", rows):
        model = type(found.object)
        instances[model].append(found.object)
        for name, targets in (found.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links[through].extend(
                through(**{f"{source}_id": found.object.pk, f"{target}_id": pk}) for pk in targets
            )
    with connection.constraint_checks_disabled():
        for model, objects in instances.items():
            model.objects.bulk_create(objects)
        for through, objects in links.items():
            through.objects.bulk_create(objects)
    reset = connection.ops.sequence_reset_sql(no_style(), list(instances) + list(links))
    if reset:
        with connection.cursor() as cursor:
            for sql in reset:
                cursor.execute(sql)


@pytest.fixture(autouse=True)
def _demo_first(request: pytest.FixtureRequest) -> None:
    """Load the demo clinic before any other fixture writes a row (keys as seeding gives)."""
    if "demo_data" in request.fixturenames:
        request.getfixturevalue("demo_data")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Argon2 is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings) -> None:
    """Jobs run at commit in the test's thread unless a test picks another backend."""
    settings.JOBS_BACKEND = "sync"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache: every test starts with none spent."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def login_staff(client):
    """``login_staff(user)`` signs a staff member in on ``client`` with a verified 2FA.

    Pass ``client=`` to sign in on another test client.
    """

    from collis_testing import sign_in_with_second_factor

    def _login(user, client=client):
        sign_in_with_second_factor(client, user)
        return client

    return _login


# --- Clinical record personas (patients, scales, injections, diary) ---------------------------


@pytest.fixture
def clinician(clinician_user):
    """The clinician persona's directory profile (visits and sessions need one)."""
    from collis.providers.models import Clinician

    return Clinician.objects.create(
        user=clinician_user, display_name="Dr. Test Clinician", slug="t-clinician"
    )


@pytest.fixture
def patient(patient_user):
    """The patient persona's own record."""
    from collis.patients.models import Patient

    return Patient.objects.create(
        user=patient_user, mrn="T-0001", given_name="Pat", family_name="Tester"
    )


@pytest.fixture
def other_patient(db):
    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role
    from collis.patients.models import Patient

    user = ensure_user_with_role("t-patient-2", Role.PATIENT, password="pw-pat2-123456")
    return Patient.objects.create(user=user, mrn="T-0002", given_name="Olga", family_name="Other")


@pytest.fixture
def xeomin_lot(db):
    from datetime import date

    from collis.injections.models import ToxinLot, ToxinProduct

    product = ToxinProduct.objects.get(code="incobotulinumtoxinA")
    return ToxinLot.objects.create(
        product=product, lot_number="XEO-T1", vial_size_units=100, expires_on=date(2099, 1, 1)
    )


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto in server mode) on loopback, one per xdist worker.

    Each worker's session starts its own on a free port (a fixed one clashed between workers
    and with other runs on the machine). Readiness is polled with a generous deadline: on a
    loaded CI box moto takes many seconds to import. ``COLLIS_TEST_S3_URL`` points the tests
    at another server (MinIO, a CI service) instead.
    """
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    given = os.environ.get("COLLIS_TEST_S3_URL")
    if given:
        yield given
        return
    for _attempt in range(3):  # the free port can be taken between probing and binding
        port = _free_loopback_port()
        url = f"http://127.0.0.1:{port}"
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 180
        ready = False
        while process.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=5)  # noqa: S310 - loopback
            except OSError:
                time.sleep(0.25)
                continue
            # Answered, and by our own process (still running), not by a stranger on the port.
            ready = process.poll() is None
            break
        if ready:
            break
        process.kill()
        process.wait(30)
    else:
        raise RuntimeError("moto server did not start on a free loopback port (3 tries)")
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """Media storage on a fresh private bucket of the S3 server, as in production."""
    import uuid

    import boto3

    bucket = f"collis-test-{uuid.uuid4().hex[:12]}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "collis-test",
        "AWS_SECRET_ACCESS_KEY": "collis-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    client.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        },
    }
    return {"client": client, "bucket": bucket, "url": s3_server}
