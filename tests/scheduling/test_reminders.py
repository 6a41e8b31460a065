"""Reminders: once per appointment and kind, retried after a failure, never when cancelled."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from collis.jobs.registry import periodic_jobs
from collis.scheduling import actions
from collis.scheduling.actions.reminders import MAX_ATTEMPTS, send_due_reminders
from collis.scheduling.models import Appointment, ReminderDelivery

from .conftest import contact


@pytest.fixture
def appointment(clinic) -> Appointment:
    booked = actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    # Booked well ahead of both reminders.
    Appointment.objects.filter(pk=booked.pk).update(created_at=booked.start - timedelta(days=10))
    return booked


def test_each_reminder_goes_out_once_at_its_time(appointment):
    start = appointment.start
    assert send_due_reminders(now=start - timedelta(hours=80))["sent"] == 0
    assert send_due_reminders(now=start - timedelta(hours=71))["sent"] == 1
    assert send_due_reminders(now=start - timedelta(hours=70))["sent"] == 0
    assert send_due_reminders(now=start - timedelta(hours=23))["sent"] == 1
    assert send_due_reminders(now=start - timedelta(hours=2))["sent"] == 0
    kinds = dict(ReminderDelivery.objects.values_list("kind", "status"))
    assert kinds == {"72h": "sent", "24h": "sent"}
    assert len(mail.outbox) == 2
    assert all("Reminder" in m.subject for m in mail.outbox)


def test_a_late_booking_gets_no_72_hour_reminder(appointment):
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=appointment.start - timedelta(hours=30)
    )
    send_due_reminders(now=appointment.start - timedelta(hours=29))
    send_due_reminders(now=appointment.start - timedelta(hours=20))
    assert list(ReminderDelivery.objects.values_list("kind", flat=True)) == ["24h"]


def test_a_cancelled_appointment_gets_no_reminder(appointment):
    actions.cancel_appointment(appointment)
    assert send_due_reminders(now=appointment.start - timedelta(hours=20))["sent"] == 0
    assert mail.outbox == []


def test_a_failed_send_is_recorded_and_retried(appointment):
    now = appointment.start - timedelta(hours=20)
    with mock.patch.object(
        EmailBackend, "send_messages", autospec=True, side_effect=OSError("SMTP down")
    ):
        assert send_due_reminders(now=now) == {"sent": 0, "failed": 2, "skipped": 0}
    failed = ReminderDelivery.objects.get(kind="24h")
    assert failed.status == "failed" and failed.attempts == 1 and "SMTP down" in failed.last_error
    assert send_due_reminders(now=now)["sent"] == 2
    sent = ReminderDelivery.objects.get(kind="24h")
    assert sent.status == "sent" and sent.attempts == 2 and sent.sent_at is not None


def test_gives_up_after_max_attempts(appointment):
    now = appointment.start - timedelta(hours=20)
    with mock.patch.object(EmailBackend, "send_messages", autospec=True, side_effect=OSError):
        for _ in range(MAX_ATTEMPTS + 2):
            send_due_reminders(now=now)
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {MAX_ATTEMPTS}


def test_command_and_periodic_job(appointment):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Reminders:" in out.getvalue()
    assert "scheduling.send_reminders" in {spec.job_name for spec in periodic_jobs()}
