"""Print the current two-factor code of a user's authenticator (development and demo only)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current 6-digit code for USERNAME's authenticator. Refused unless DEBUG."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, username: str, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("totp_code is a development aid: it is refused when DEBUG is false.")
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("pk").last()
        )
        if device is None:
            raise CommandError(f"{username} has no confirmed authenticator.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        code = str(totp.token()).zfill(device.digits)
        left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(code)
        self.stderr.write(f"valid for about {left} more seconds; each code works once")
