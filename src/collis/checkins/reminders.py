"""One e-mail per missed check-in, with a sign-in link; never a second one for the same date."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, gettext_noop

from collis.checkins import record
from collis.checkins.models import CheckinReminder, HomeRecordingConsent
from collis.lib.i18n import patient_language, with_language

logger = logging.getLogger(__name__)

SUBJECT = gettext_noop("Your neck check-in")


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
        message = reminder_email(patient, due)
        try:
            message.send()
        except Exception as exc:  # outbound edge: release the claim so the next pass retries
            logger.warning("check-in reminder for patient %s failed: %s", patient.pk, exc)
            CheckinReminder.objects.filter(patient=patient, due_on=due).delete()
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts


def reminder_email(patient, due: date) -> EmailMessage:  # noqa: ANN001 (patients.Patient)
    """The reminder, in the patient's language; its link opens in that language."""
    language = patient_language(patient)
    link = with_language(settings.SITE_URL + reverse("checkins:portal-new"), language)
    with translation.override(language):
        body = gettext(
            "Hello %(name)s,\n\nYour clinic asked for a short home check-in video on %(day)s. "
            "When it suits you, sign in and record it (about 30 seconds):\n%(link)s\n\n"
            "If you would rather not record at home, you can withdraw your consent from the same "
            "page. This is the only reminder for this check-in."
        ) % {
            "name": patient.given_name,
            "day": formats.date_format(due, gettext("l, F j")),
            "link": link,
        }
        subject = gettext(SUBJECT)
    return EmailMessage(subject, body, to=[patient.email])
