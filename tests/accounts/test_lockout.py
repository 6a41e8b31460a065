"""django-axes: repeated wrong passwords lock that username from that address, on both logins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from collis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _try(client, url, username, password, ip="10.0.0.5"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("login_url", [reverse("accounts:login"), "/admin/login/"])
def test_five_failures_lock_the_account_with_a_clear_page(
    client, patient_user, login_url, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, login_url, "t-patient", "wrong-password").status_code == 200
    locked = _try(client, login_url, "t-patient", "wrong-password")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many sign-in attempts" in html
    assert "Try again in 15 minutes" in html
    assert locked["Retry-After"] == "900"
    # Even the right password is refused while locked.
    assert _try(client, login_url, "t-patient", "pw-pat-1234567").status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, patient_user, front_desk, settings):
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, url, "t-patient", "wrong-password")
    # The same person from another address, and another user from the same address, still work.
    assert _try(client, url, "t-patient", "pw-pat-1234567", ip="10.0.0.6").status_code == 302
    client.logout()
    assert _try(client, url, "t-desk", "pw-desk-123456").status_code == 302


def test_below_the_limit_a_right_password_signs_in_and_resets_the_count(
    client, patient_user, settings
):
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, url, "t-patient", "wrong-password")
    assert _try(client, url, "t-patient", "pw-pat-1234567").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, url, "t-patient", "wrong-password").status_code == 200


def test_sign_ins_and_failures_are_audited(client, patient_user):
    url = reverse("accounts:login")
    _try(client, url, "t-patient", "wrong-password")
    _try(client, url, "t-patient", "pw-pat-1234567")
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.detail == {"factor": "first", "username": "t-patient"}
    assert failed.ip_address == "10.0.0.5" and failed.actor is None
    ok = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert ok.actor == patient_user and ok.object_type == "auth.User"


def test_password_is_never_stored_in_the_audit_trail(client, patient_user):
    _try(client, reverse("accounts:login"), "t-patient", "my-secret-guess")
    assert "my-secret-guess" not in str(list(AuditEvent.objects.values()))


def test_login_page_is_rate_limited_per_address(client, db, monkeypatch):
    # Hold the clock mid-window: a fixed window that rolled over mid-test would reset the count.
    import collis.lib.throttle

    monkeypatch.setattr(collis.lib.throttle.time, "time", lambda: 1_800_000_030.0)
    url = reverse("accounts:login")
    statuses = [_try(client, url, f"user{n}", "x").status_code for n in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
