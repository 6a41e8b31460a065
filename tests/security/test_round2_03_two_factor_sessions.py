"""Finding 3: a session opened before a patient turned on 2FA survived it, and could regenerate
backup codes or turn 2FA off. Enabling 2FA now rotates the session and ends the account's other
sessions; managing the second factor needs a passed second factor and the password.
"""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .attack import Attacker

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-pat-1234567"


def _enrol(client: Attacker) -> None:
    """Turn on 2FA the way the patient does: open the setup page, type the app's code."""
    from django_otp.oath import TOTP

    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user__username="t-patient", confirmed=False)
    code = str(TOTP(device.bin_key, device.step, device.t0, device.digits).token()).zfill(6)
    response = client.post("/accounts/two-factor/setup/", {"token": code})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user__username="t-patient", confirmed=True).exists()


def test_enabling_two_factor_ends_the_other_sessions(live_server, patient_user):
    stolen = Attacker(live_server.url).sign_in("t-patient", PASSWORD)  # e.g. a shared computer
    owner = Attacker(live_server.url).sign_in("t-patient", PASSWORD)
    before = owner.http.cookies.get("sessionid")
    _enrol(owner)
    assert owner.http.cookies.get("sessionid") != before  # the session key rotated
    # The old session can neither regenerate backup codes nor turn 2FA off.
    stolen.post("/accounts/two-factor/backup-codes/")
    stolen.post("/accounts/two-factor/disable/")
    assert TOTPDevice.objects.filter(user=patient_user, confirmed=True).exists()
    page = stolen.get("/accounts/security/")
    assert page.status_code == 302 and "/accounts/login/" in page.headers["Location"]


def _backup_codes(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_managing_the_second_factor_needs_the_password(live_server, patient_user):
    owner = Attacker(live_server.url).sign_in("t-patient", PASSWORD)
    _enrol(owner)
    codes = _backup_codes(patient_user)
    owner.post("/accounts/two-factor/backup-codes/")
    assert _backup_codes(patient_user) == codes
    owner.post("/accounts/two-factor/disable/", {"password": "wrong-password"})
    assert TOTPDevice.objects.filter(user=patient_user, confirmed=True).exists()
    owner.post("/accounts/two-factor/backup-codes/", {"password": PASSWORD})
    assert _backup_codes(patient_user) != codes
    backup = sorted(_backup_codes(patient_user))[0]  # a current second factor, as asked
    owner.post("/accounts/two-factor/disable/", {"password": PASSWORD, "token": backup})
    assert not TOTPDevice.objects.filter(user=patient_user, confirmed=True).exists()


def test_a_password_only_session_cannot_manage_the_second_factor(live_server, patient_user):
    owner = Attacker(live_server.url).sign_in("t-patient", PASSWORD)
    _enrol(owner)
    # Someone with the password only: the sign-in stops at the second factor.
    thief = Attacker(live_server.url).sign_in("t-patient", PASSWORD, second_factor=False)
    thief.post("/accounts/two-factor/disable/", {"password": PASSWORD})
    thief.post("/accounts/two-factor/backup-codes/", {"password": PASSWORD})
    page = thief.get("/accounts/two-factor/setup/")
    assert page.status_code == 302 and "verify" in page.headers["Location"]
    assert TOTPDevice.objects.filter(user=patient_user, confirmed=True).count() == 1
    # And after passing the second factor, managing it still asks for the password.
    backup = sorted(_backup_codes(patient_user))[0]  # the app's code of this step is spent
    thief.post("/accounts/two-factor/verify/", {"token": backup})
    assert re.search(r'name="password"', thief.get("/accounts/two-factor/disable/").text)
    assert re.search(r'name="password"', thief.get("/accounts/two-factor/backup-codes/").text)
