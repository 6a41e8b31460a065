from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from faker import Faker

from collis.lib.clinic_time import to_clinic

DEMO_SEED = 2026


@dataclass
class DemoContext:
    """What seeders share: seeded randomness, the reference time, and the logins they create."""

    now: datetime
    faker: Faker = field(default_factory=lambda: _faker())
    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))  # noqa: S311
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, password)
    notes: list[str] = field(default_factory=list)  # printed after the logins

    @property
    def today(self) -> date:
        """Today in the clinic's zone (``now.date()`` is the UTC day: tomorrow in the evening)."""
        return to_clinic(self.now).date()


def _faker() -> Faker:
    fake = Faker("en_US")
    fake.seed_instance(DEMO_SEED)
    return fake
