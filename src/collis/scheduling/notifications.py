"""Emails to patients, through Django's email framework (console backend in development)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collis.lib.i18n import patient_language, with_language
from collis.providers.models import Clinic
from collis.scheduling.availability import clinic_zone
from collis.scheduling.ics import appointment_ics
from collis.scheduling.links import manage_url
from collis.scheduling.models import Appointment, WaitlistEntry

SUBJECTS = {
    "confirmation": gettext_lazy("Your appointment is booked"),
    "request": gettext_lazy("We received your appointment request"),
    "confirmed": gettext_lazy("Your appointment is confirmed"),
    "rescheduled": gettext_lazy("Your appointment has moved"),
    "cancelled": gettext_lazy("Your appointment is cancelled"),
    "reminder": gettext_lazy("Reminder: your appointment"),
}


def _clinic_name() -> str:
    clinic = Clinic.current()
    return clinic.name if clinic else "Collis clinic"


def appointment_email(appointment: Appointment, kind: str) -> EmailMessage:
    """Build the email of ``kind`` (see SUBJECTS) for an appointment, with its .ics attached.

    Written in the patient's language (their record; online booking saves the one they used).
    """
    zone = clinic_zone()
    language = patient_language(appointment.patient)
    context = {
        "appointment": appointment,
        "kind": kind,
        "local_start": appointment.start.astimezone(zone),
        "local_end": appointment.end.astimezone(zone),
        "manage_url": manage_url(appointment, language),
        "clinic_name": _clinic_name(),
    }
    with translation.override(language):
        body = render_to_string("scheduling/email/appointment.txt", context)
        subject = f"{SUBJECTS[kind]} – {_clinic_name()}"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appointment.contact_email],
    )
    method = "CANCEL" if kind == "cancelled" else "PUBLISH"
    message.attach(
        "appointment.ics",
        appointment_ics(appointment, language=language),
        f"text/calendar; method={method}",
    )
    return message


def recall_email(
    *,
    to: str,
    name: str,
    due_on: date,
    product_name: str,
    booking_url: str,
    language: str | None = None,
) -> EmailMessage:
    """The recall letter, in ``language`` (the patient's), its link opening in that language."""
    language = language or settings.LANGUAGE_CODE
    booking_url = with_language(booking_url, language)
    with translation.override(language):
        return _recall_email(to, name, due_on, product_name, booking_url)


def _recall_email(
    to: str, name: str, due_on: date, product_name: str, booking_url: str
) -> EmailMessage:
    body = render_to_string(
        "scheduling/email/recall.txt",
        {
            "name": name,
            "due_on": due_on,
            "product_name": product_name,
            "booking_url": booking_url,
            "clinic_name": _clinic_name(),
        },
    )
    return EmailMessage(
        subject=_("Time to book your next injection – %(clinic)s") % {"clinic": _clinic_name()},
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


def _send_in(language: str, template: str, context: dict, subject, to: str) -> EmailMessage:
    """Render ``template`` and ``subject`` (lazy) in ``language`` as one email to ``to``."""
    with translation.override(language):
        body = render_to_string(template, {**context, "clinic_name": _clinic_name()})
        subject = f"{subject} – {_clinic_name()}"
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def waitlist_offer_email(
    *, entry: WaitlistEntry, appointment: Appointment, start, booking_url: str
) -> EmailMessage:
    """Tell a waitlisted patient a time just became free (first to book it gets it), in their
    language; the link opens in it."""
    language = patient_language(entry.patient)
    local = start.astimezone(clinic_zone())
    context = {
        "name": entry.patient.given_name,
        "appointment_type": appointment.appointment_type,
        "clinician": appointment.clinician,
        "location": appointment.location,
        "local": local,
        "booking_url": with_language(booking_url, language),
    }
    return _send_in(
        language,
        "scheduling/email/waitlist_offer.txt",
        context,
        gettext_lazy("An earlier appointment is free"),
        entry.patient.email,
    )


def waitlist_joined_email(entry: WaitlistEntry) -> EmailMessage:
    """Confirm a place on the waitlist: what for, which dates, how to leave it."""
    return _send_in(
        patient_language(entry.patient),
        "scheduling/email/waitlist_joined.txt",
        {"entry": entry, "name": entry.patient.given_name},
        gettext_lazy("You are on the waitlist"),
        entry.patient.email,
    )


def waitlist_hold_email(hold) -> EmailMessage:
    """Tell a waitlisted patient a time is held for them until a deadline, with a link."""
    from django.urls import reverse

    zone = clinic_zone()
    language = patient_language(hold.patient)
    url = settings.SITE_URL + reverse("scheduling:waitlist-offer", args=[hold.token])
    context = {
        "name": hold.patient.given_name,
        "appointment_type": hold.appointment_type,
        "clinician": hold.clinician,
        "location": hold.location,
        "local": hold.start.astimezone(zone),
        "until": hold.expires_at.astimezone(zone),
        "accept_url": with_language(url, language),
    }
    return _send_in(
        language,
        "scheduling/email/waitlist_hold.txt",
        context,
        gettext_lazy("An earlier appointment is held for you"),
        hold.patient.email,
    )
