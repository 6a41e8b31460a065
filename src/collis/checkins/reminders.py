"""One e-mail per missed check-in, with a sign-in link; never a second one for the same date."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from collis.checkins import record
from collis.checkins.models import CheckinReminder, HomeRecordingConsent

logger = logging.getLogger(__name__)

SUBJECT = "Your neck check-in"


def send_checkin_reminders(today: date | None = None) -> dict[str, int]:
    """Remind each consenting patient with an e-mail of their newest missed check-in, once."""
    today = today or timezone.localdate()
    counts = {"sent": 0, "failed": 0}
    patient_ids = set(
        HomeRecordingConsent.objects.filter(revoked_at__isnull=True).values_list(
            "patient_id", flat=True
        )
    )
    from collis.patients.models import Patient

    for patient in Patient.objects.filter(pk__in=patient_ids).exclude(email=""):
        missed = record.missed(patient, today)
        if not missed:
            continue
        due = missed[-1]
        try:
            with transaction.atomic():
                CheckinReminder.objects.create(patient=patient, due_on=due)  # the claim
        except IntegrityError:
            continue  # already reminded for this check-in
        link = settings.SITE_URL + reverse("checkins:portal-new")
        message = EmailMessage(
            SUBJECT,
            f"Hello {patient.given_name},\n\nYour clinic asked for a short home check-in video "
            f"on {due:%A %d %B}. When it suits you, sign in and record it (about 30 seconds):\n"
            f"{link}\n\nIf you would rather not record at home, you can withdraw your consent "
            "from the same page. This is the only reminder for this check-in.",
            to=[patient.email],
        )
        try:
            message.send()
        except Exception as exc:  # outbound edge: release the claim so the next pass retries
            logger.warning("check-in reminder for patient %s failed: %s", patient.pk, exc)
            CheckinReminder.objects.filter(patient=patient, due_on=due).delete()
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts
