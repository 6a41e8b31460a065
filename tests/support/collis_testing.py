"""Test helper for every app's tests (not shipped in src): sign a user in as if they had passed
their second factor. On the path through pytest's ``pythonpath`` (pyproject)."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in_with_second_factor(client, user) -> TOTPDevice:
    """Sign ``user`` in on the test ``client`` with a verified second factor.

    Gives the user a confirmed authenticator if they have none. Staff need this: a session
    that is only ``force_login``-ed is sent to the two-factor page from every staff URL.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
