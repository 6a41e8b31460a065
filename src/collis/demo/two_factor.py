"""Demo authenticators: every demo staff login gets a TOTP device with a published key.

Staff cannot sign in without a second factor, so a newcomer needs a code: the seed prints each
key (for an authenticator app) and ``manage.py totp_code <username>`` prints the current code
(refused unless DEBUG). Only the usernames the demo itself printed are touched, so running the
seed against a real database never plants a known key on a real account.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b32encode

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from collis.accounts.two_factor import AUTHENTICATOR_NAME
from collis.demo.context import DemoContext

_DEMO_KEY_SALT = b"collis-demo-totp-key"


def demo_totp_key(username: str) -> str:
    """A fixed 20-byte hex key per demo username (public: demo data only)."""
    return hmac.new(_DEMO_KEY_SALT, username.encode(), hashlib.sha1).hexdigest()


def seed(ctx: DemoContext) -> None:
    User = get_user_model()
    keys: list[tuple[str, str]] = []
    for _role, username, _password in ctx.logins:
        user = User.objects.filter(username=username, is_staff=True).first()
        if user is None:
            continue
        key = demo_totp_key(username)
        TOTPDevice.objects.get_or_create(
            user=user, key=key, defaults={"name": AUTHENTICATOR_NAME, "confirmed": True}
        )
        keys.append((username, b32encode(bytes.fromhex(key)).decode()))
    if not keys:
        return
    ctx.notes.append(
        "Staff sign-in also asks for a 6-digit code (two-factor). Print the current code with\n"
        "  .venv/bin/python manage.py totp_code <username>\n"
        "or add these keys to an authenticator app (time-based, 6 digits, SHA1):"
    )
    ctx.notes.extend(f"  {username:<22} {secret}" for username, secret in keys)
