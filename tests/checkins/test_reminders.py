"""Missed check-ins: one reminder e-mail each, never a second for the same date."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from collis.checkins.reminders import send_checkin_reminders


def test_one_reminder_per_missed_check_in(consented, xeomin_lot, clinician):
    from test_views import _inject

    consented.email = "pat@example.org"
    consented.save()
    today = timezone.localdate()
    _inject(consented, xeomin_lot, clinician, today - timedelta(weeks=4))
    assert send_checkin_reminders(today) == {"sent": 1, "failed": 0}
    assert "/portal/checkins/new/" in mail.outbox[0].body
    assert send_checkin_reminders(today) == {"sent": 0, "failed": 0}  # never nags twice
    assert len(mail.outbox) == 1


def test_no_reminder_after_consent_is_withdrawn(consented, xeomin_lot, clinician):
    from test_views import _inject

    from collis.checkins.actions import revoke_consent

    consented.email = "pat@example.org"
    consented.save()
    _inject(consented, xeomin_lot, clinician, timezone.localdate() - timedelta(weeks=4))
    revoke_consent(None, patient=consented)
    assert send_checkin_reminders() == {"sent": 0, "failed": 0}
