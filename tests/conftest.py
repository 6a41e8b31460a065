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
