"""Personas shared by every test: one user per role, and two patients to test isolation."""

from __future__ import annotations

import socket

import pytest

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role


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


@pytest.fixture
def demo_data(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())


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

    from collis.accounts.testing import sign_in_with_second_factor

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


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto in server mode) on loopback for the whole run.

    ``COLLIS_TEST_S3_URL`` points the tests at another one (MinIO, a CI service) instead.
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
    port = int(os.environ.get("COLLIS_TEST_S3_PORT", "8191"))
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)


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
