"""Load synthetic demo data. Safe to run again: existing demo rows are kept, not duplicated."""

from __future__ import annotations

import random
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from collis.demo.context import DEMO_SEED, DemoContext

# Order matters: later seeders use rows created by earlier ones. Each row: the seeder's module
# and the name of its random stream. The stream names are the seeders' module paths from before
# they moved into ``collis.demo``: kept, so the demo clinic's trajectories stay the same.
SEEDERS = [
    ("collis.demo.accounts", "collis.accounts.demo"),
    ("collis.demo.providers", "collis.providers.demo"),
    ("collis.demo.education", "collis.education.demo"),
    ("collis.demo.patients", "collis.patients.demo"),
    # Injections before scheduling: they set the recall due dates bookings must respect.
    ("collis.demo.injections", "collis.injections.demo"),
    ("collis.demo.scheduling", "collis.scheduling.demo"),
    ("collis.demo.scales", "collis.scales.demo"),
    ("collis.demo.diary", "collis.diary.demo"),
    ("collis.demo.recordings", "collis.recordings.demo"),
    ("collis.demo.checkins", "collis.checkins.demo"),
    ("collis.demo.supply", "collis.supply.demo"),
    # Last: gives every demo staff login its authenticator.
    ("collis.demo.two_factor", "collis.accounts.demo_two_factor"),
]


class Command(BaseCommand):
    help = "Load synthetic demo data (idempotent) and print the demo logins."

    def handle(self, *args: object, **options: object) -> None:
        ctx = DemoContext(now=timezone.now())
        with transaction.atomic():
            for dotted, stream in SEEDERS:
                # Each seeder draws from its own stream, so adding or reordering seeders
                # never changes another app's demo trajectories.
                ctx.rng = random.Random(f"{DEMO_SEED}:{stream}")  # noqa: S311
                module = import_module(dotted)
                module.seed(ctx)
                self.stdout.write(f"  seeded {stream.split('.')[-2]}")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        for role, username, password in ctx.logins:
            self.stdout.write(f"  {role:<22} {username:<22} {password}")
        for note in ctx.notes:
            self.stdout.write(note)
