"""Injection-cycle recall: due list and one recall email per due date, with a booking link."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from django.core import mail

from collis.scheduling import actions
from collis.scheduling.links import patient_from_token
from collis.scheduling.models import InjectionRecall
from collis.scheduling.recall import due_recalls


def test_due_list_shows_overdue_and_soon_due(clinic, patient):
    today = clinic.monday
    actions.record_injection_cycle(
        patient=patient,
        injected_on=today - timedelta(days=90),
        min_interval_days=84,
        product_name="Botox",
    )
    [row] = due_recalls(today)
    assert row.days_overdue == 6 and not row.has_booking
    actions.record_injection_cycle(
        patient=patient, injected_on=today, min_interval_days=84, product_name="Botox"
    )
    assert due_recalls(today) == []


def test_recall_email_goes_once_per_due_date_and_links_to_booking(clinic, patient):
    today = clinic.monday
    recall = actions.record_injection_cycle(
        patient=patient,
        injected_on=today - timedelta(days=75),
        min_interval_days=84,
        product_name="Xeomin",
    )
    assert actions.send_recall_emails(today - timedelta(days=30)) == {"sent": 0, "failed": 0}
    assert actions.send_recall_emails(today) == {"sent": 1, "failed": 0}
    assert actions.send_recall_emails(today) == {"sent": 0, "failed": 0}
    [message] = mail.outbox
    assert message.to == [patient.email] and "Xeomin" in message.body
    url = next(line for line in message.body.splitlines() if "/book/" in line)
    query = parse_qs(urlparse(url).query)
    assert query["type"] == ["toxin-injection"]
    assert int(patient_from_token(query["token"][0])["p"]) == patient.pk
    assert InjectionRecall.objects.get(pk=recall.pk).recall_sent_for == recall.due_on


def test_no_recall_when_the_next_injection_is_booked(clinic, patient):
    recall = actions.record_injection_cycle(
        patient=patient,
        injected_on=clinic.monday - timedelta(days=84),
        min_interval_days=84,
        product_name="Botox",
    )
    actions.book_appointment(
        appointment_type=clinic.injection,
        start=clinic.at(recall.due_on, 9),
        clinician=clinic.okafor,
        patient=patient,
        contact=actions.Contact("Ada", "Lovelace", patient.email),
    )
    assert actions.send_recall_emails(clinic.monday)["sent"] == 0
    assert due_recalls(clinic.monday)[0].has_booking
