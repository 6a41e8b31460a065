"""Two-factor sign-in: staff must enrol and verify; patients may opt in; backup codes work once."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from collis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def sign_in(client, username, password):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return response


def test_staff_without_second_factor_cannot_reach_the_admin(client, front_desk):
    sign_in(client, "t-desk", "pw-desk-123456")
    response = client.get("/admin/patients/patient/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-verify"))
    # No authenticator yet: the verify page sends them to enrolment.
    follow = client.get(response["Location"])
    assert follow["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_unverified_staff_get_problem_json_from_the_api(client, front_desk):
    client.force_login(front_desk)
    response = client.get("/api/providers/clinicians")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Second factor required"


def test_staff_enrol_with_a_qr_code_then_reach_the_admin(client, front_desk):
    sign_in(client, "t-desk", "pw-desk-123456")
    page = client.get(reverse("accounts:two-factor-setup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in html
    device = TOTPDevice.objects.get(user=front_desk, confirmed=False)
    wrong = client.post(reverse("accounts:two-factor-setup"), {"token": "000000"})
    assert "did not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # as if the person waited the second the throttle asks for
    done = client.post(reverse("accounts:two-factor-setup"), {"token": code_for(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and codes[0] in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/patients/patient/").status_code == 200
    assert AuditEvent.objects.filter(detail__two_factor="enabled", actor=front_desk).exists()


def test_staff_with_an_authenticator_sign_in_with_its_code(client, clinician_user):
    device = TOTPDevice.objects.create(user=clinician_user, name="phone", confirmed=True)
    sign_in(client, "t-clinician", "pw-clin-123456")
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two-factor-verify"))
    bad = client.post(reverse("accounts:two-factor-verify"), {"token": "123456"})
    assert bad.status_code == 200
    assert "wrong" in bad.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN_FAILED, detail__factor="second"
    ).exists()
    # The wrong code started the throttle: the next code waits its turn.
    device.refresh_from_db()
    device.throttle_reset()
    good = client.post(
        reverse("accounts:two-factor-verify") + "?next=/admin/", {"token": code_for(device)}
    )
    assert good["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_cannot_replace_the_authenticator(client, clinician_user):
    TOTPDevice.objects.create(user=clinician_user, name="phone", confirmed=True)
    sign_in(client, "t-clinician", "pw-clin-123456")
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response["Location"] == reverse("accounts:two-factor-verify")
    assert not TOTPDevice.objects.filter(user=clinician_user, confirmed=False).exists()


def test_a_backup_code_works_once(client, login_staff, administrator):
    login_staff(administrator)
    codes = client.post(
        reverse("accounts:two-factor-backup-codes"), {"password": "pw-admin-123456"}
    ).context["codes"]
    client.logout()
    for attempt in range(2):
        other = client.__class__()
        sign_in(other, "t-admin", "pw-admin-123456")
        response = other.post(reverse("accounts:two-factor-verify"), {"token": codes[0]})
        if attempt == 0:
            assert response.status_code == 302
            assert other.get("/admin/").status_code == 200
        else:
            assert response.status_code == 200
            assert "already been used" in response.content.decode()
    assert StaticToken.objects.filter(device__user=administrator).count() == 9


def test_wrong_codes_are_throttled(client, clinician_user):
    device = TOTPDevice.objects.create(user=clinician_user, name="phone", confirmed=True)
    sign_in(client, "t-clinician", "pw-clin-123456")
    client.post(reverse("accounts:two-factor-verify"), {"token": "111111"})
    response = client.post(reverse("accounts:two-factor-verify"), {"token": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()


def test_staff_cannot_turn_two_factor_off(client, login_staff, clinician_user):
    login_staff(clinician_user)
    assert client.post(reverse("accounts:two-factor-disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=clinician_user).exists()


def test_patient_opts_in_and_is_then_asked_at_every_sign_in(client, patient_user):
    sign_in(client, "t-patient", "pw-pat-1234567")
    assert client.get(reverse("accounts:home")).status_code == 200  # no 2FA needed yet
    client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.get(user=patient_user)
    client.post(reverse("accounts:two-factor-setup"), {"token": code_for(device)})
    assert client.get(reverse("accounts:home")).status_code == 200  # verified in this session
    client.logout()
    sign_in(client, "t-patient", "pw-pat-1234567")
    assert client.get(reverse("accounts:home"))["Location"].startswith(
        reverse("accounts:two-factor-verify")
    )
    response = client.post(
        reverse("accounts:two-factor-verify"), {"token": code_for(device, steps_ahead=1)}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_patient_can_turn_two_factor_off(client, patient_user):
    from collis_testing import sign_in_with_second_factor

    sign_in_with_second_factor(client, patient_user)
    device = TOTPDevice.objects.get(user=patient_user)
    url = reverse("accounts:two-factor-disable")
    # One click asks first; an empty or wrong answer leaves it on.
    assert "Turn off two-factor sign-in?" in client.get(url).content.decode()
    assert client.post(url).status_code == 200
    page = client.post(url, {"password": "wrong", "token": code_for(device, steps_ahead=1)})
    assert "password is wrong" in page.content.decode()
    page = client.post(url, {"password": "pw-pat-1234567", "token": "000000"})
    assert "wrong or has already been used" in page.content.decode()
    assert TOTPDevice.objects.filter(user=patient_user).exists()
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # the wait after a wrong code
    response = client.post(
        url, {"password": "pw-pat-1234567", "token": code_for(device, steps_ahead=1)}
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("accounts:security")
    assert not TOTPDevice.objects.filter(user=patient_user).exists()
    client.logout()
    sign_in(client, "t-patient", "pw-pat-1234567")
    assert client.get(reverse("accounts:home")).status_code == 200


def test_the_wait_after_wrong_codes_reads_naturally():
    from datetime import timedelta

    from django.utils import timezone

    from collis.accounts.two_factor import _wait_message

    assert "Wait 1 second," in _wait_message(timezone.now() + timedelta(milliseconds=10))
    assert "Wait 5 seconds," in _wait_message(timezone.now() + timedelta(seconds=4.5))


def test_totp_code_command_is_refused_in_production(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("totp_code", "admin")


def test_demo_seed_prints_staff_keys(demo_data):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "manage.py totp_code <username>" in text
    assert TOTPDevice.objects.filter(user__username="admin", confirmed=True).count() == 1
    assert TOTPDevice.objects.filter(user__username="frontdesk", confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(user__username="patient").exists()
