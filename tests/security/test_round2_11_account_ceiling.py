"""Finding 11: lockout was per username and address only: 5 failures from each of many
addresses never locked the account. A per-account ceiling across addresses now pauses sign-in
from unknown addresses with a growing (CAPTCHA-free) backoff and tells the account owner; the
addresses the owner signed in from before keep working, so an attacker cannot lock staff out.

The attacker's addresses differ, so this uses the test client's REMOTE_ADDR (a live server sees
every request from 127.0.0.1).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from collis.accounts import lockout

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def ceiling(settings):
    settings.ACCOUNT_FAILURE_CEILING = 10


def _try(password: str, address: str):
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": "t-clinician", "password": password}
    )


def test_failures_from_many_addresses_hit_an_account_ceiling(ceiling, clinician_user):
    clinician_user.email = "clin@example.com"
    clinician_user.save()
    assert _try("pw-clin-123456", "192.0.2.10").status_code == 302  # the owner's usual address
    for n in range(4):
        for attempt in range(3):  # below the per-address limit of 5
            _try(f"guess-{n}-{attempt}", f"203.0.113.{n + 1}")
    blocked = _try("pw-clin-123456", "203.0.113.99")  # even the right password, from a new place
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert [m for m in mail.outbox if "clin@example.com" in m.to]
    # The owner, from an address they signed in from before, is not locked out.
    assert _try("pw-clin-123456", "192.0.2.10").status_code == 302


def test_the_backoff_ends_and_grows(ceiling, clinician_user, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(lockout, "_now", lambda: clock[0])
    for n in range(10):
        _try(f"guess-{n}", f"198.51.100.{n + 1}")
    first = lockout.blocked_seconds("t-clinician", "198.51.100.200")
    assert first > 0
    clock[0] += first + 1
    assert lockout.blocked_seconds("t-clinician", "198.51.100.200") == 0  # never permanent
    assert _try("pw-clin-123456", "198.51.100.200").status_code == 302
    for n in range(10):
        _try(f"again-{n}", f"198.51.100.{n + 50}")
    assert lockout.blocked_seconds("t-clinician", "198.51.100.201") > first  # it doubles
