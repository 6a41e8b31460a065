"""Finding 7: the waitlist had no rate limit (25 posts made 25 patient rows)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collis.patients.models import Patient
from collis.scheduling.models import WaitlistEntry

from ..scheduling.conftest import make_clinic
from .attack import Attacker

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_five_waitlist_posts_are_throttled(live_server, settings):
    settings.WAITLIST_RATE_LIMIT = "5/h"
    clinic = make_clinic()
    attacker = Attacker(live_server.url)
    statuses = []
    for n in range(25):
        response = attacker.post(
            "/book/waitlist/?type=injection-follow-up",
            {"given_name": f"Spam{n}", "family_name": "Bot", "email": f"s{n}@evil.test",
             "birth_date": "1980-01-01", "earliest": clinic.monday.isoformat(),
             "latest": (clinic.monday + timedelta(days=7)).isoformat()},
        )  # fmt: skip
        statuses.append(response.status_code)
    assert statuses.count(429) == 20
    assert WaitlistEntry.objects.count() == 5
    assert Patient.objects.count() == 5
    assert "Retry-After" in response.headers


def test_the_default_limit_is_set(settings):
    from collis.lib.throttle import parse_rate

    rate = parse_rate(settings.WAITLIST_RATE_LIMIT)
    assert rate.limit <= 10
