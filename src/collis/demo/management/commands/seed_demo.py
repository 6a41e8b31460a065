"""Load synthetic demo data. Safe to run again: existing demo rows are kept, not duplicated."""

from __future__ import annotations

import random
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from collis.demo.context import DEMO_SEED, DemoContext

# Order matters: later seeders use rows created by earlier ones.
SEEDERS = [
    "collis.accounts.demo",
    "collis.providers.demo",
    "collis.education.demo",
    "collis.patients.demo",
    "collis.injections.demo",  # before scheduling: injections set the recall due dates
    "collis.scheduling.demo",
    "collis.scales.demo",
    "collis.diary.demo",
    "collis.recordings.demo",
    "collis.accounts.demo_two_factor",  # last: gives every demo staff login its authenticator
]


class Command(BaseCommand):
    help = "Load synthetic demo data (idempotent) and print the demo logins."

    def handle(self, *args: object, **options: object) -> None:
        ctx = DemoContext(now=timezone.now())
        with transaction.atomic():
            for dotted in SEEDERS:
                # Each seeder draws from its own stream, so adding or reordering seeders
                # never changes another app's demo trajectories.
                ctx.rng = random.Random(f"{DEMO_SEED}:{dotted}")  # noqa: S311
                module = import_module(dotted)
                module.seed(ctx)
                self.stdout.write(f"  seeded {dotted.split('.')[-2]}")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        for role, username, password in ctx.logins:
            self.stdout.write(f"  {role:<22} {username:<22} {password}")
        for note in ctx.notes:
            self.stdout.write(note)
