"""Emails and calendar files in the patient's language, with Spanish dates (issue #17)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from collis.patients.models import Patient
from collis.scheduling import actions
from collis.scheduling.actions import Contact
from collis.scheduling.models import Appointment
from collis.scheduling.notifications import appointment_email, recall_email

EMAILS = pytest.mark.django_db(transaction=True)
# English words a Spanish email must not contain (names and the clinic's own data are Spanish).
ENGLISH_EMAIL = re.compile(
    r"\b(Hello|the|you|your|with|at|from|to|any|day|open|waitlist|appointment|clinic|time|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|AM|PM)\b"
)


def english_in(body: str) -> list[str]:
    """English words in an email body, its links left out."""
    return ENGLISH_EMAIL.findall(re.sub(r"https?://\S+", " ", body))


FORM = {
    "given_name": "Rosa",
    "family_name": "Díaz",
    "email": "rosa@example.com",
    "phone": "",
    "birth_date": "1970-03-04",
    "reason": "cuello torcido",
}


def _ics_event(message):
    [(name, content, mimetype)] = message.attachments
    assert name == "appointment.ics" and mimetype.startswith("text/calendar")
    return next(c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT")


@EMAILS
def test_booking_in_spanish_sends_a_spanish_email_and_calendar_file(client, spanish_clinic):
    c = spanish_clinic
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    query = {"type": "seguimiento", "clinician": "dra-ruiz", "location": "centro"}
    url = (
        reverse("scheduling:book-details")
        + "?"
        + urlencode({**query, "start": c["start"].isoformat()})
    )
    form = client.get(url).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    page = client.post(url, {**FORM, "idempotency_key": key}, follow=True).content.decode()
    assert "Su cita está reservada" in page or "Solicitud recibida" in page

    appointment = Appointment.objects.get()
    assert appointment.patient.preferred_language == "es"
    [message] = mail.outbox
    assert message.subject.startswith(("Su cita está", "Recibimos su solicitud"))
    body = message.body
    assert "Hola, Rosa Díaz:" in body
    day = c["monday"].day
    assert f"lunes, {day} de diciembre" in body or f"lunes, {day} de " in body
    assert "10:00" in body and not re.search(r"\d:\d\d\s*[AP]\.?M\b", body)  # 24 h, no AM/PM
    assert "Para cancelar o cambiar la hora, abra este enlace:" in body
    link = re.search(r"http://\S+/appointments/\S+", body).group(0)
    assert link.endswith("?lang=es")

    event = _ics_event(message)
    assert str(event["SUMMARY"]) == "Consulta de seguimiento con Dra. Ana Ruiz"
    assert str(event["DESCRIPTION"]).startswith("Cancelar o cambiar la hora: http")
    assert str(event["DESCRIPTION"]).endswith("?lang=es")

    # The link opens the manage page in Spanish on a browser that never chose a language.
    client.cookies.clear()
    manage = client.get(link.split("8000", 1)[1])
    assert '<html lang="es">' in manage.content.decode()
    assert manage.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


@EMAILS
def test_reminders_follow_the_patients_saved_language(spanish_clinic):
    c = spanish_clinic
    appointment = actions.book_appointment(
        appointment_type=c["type"],
        start=c["start"],
        clinician=c["clinician"],
        contact=Contact("Luis", "Mora", "luis@example.com", "", date(1960, 1, 2)),
    )
    message = appointment_email(appointment, "reminder")
    assert message.subject.startswith("Reminder: your appointment")  # no language saved: English
    Patient.objects.filter(pk=appointment.patient_id).update(preferred_language="Spanish")
    appointment.refresh_from_db()
    message = appointment_email(appointment, "reminder")
    assert message.subject.startswith("Recordatorio: su cita")
    assert "Le recordamos su cita." in message.body
    assert str(_ics_event(message)["SUMMARY"]) == "Consulta de seguimiento con Dra. Ana Ruiz"


@pytest.mark.django_db
def test_recall_letter_in_spanish_links_in_spanish():
    message = recall_email(
        to="rosa@example.com",
        name="Rosa",
        due_on=date(2026, 12, 9),
        product_name="Xeomin",
        booking_url="http://127.0.0.1:8000/book/?type=x",
        language="es",
    )
    assert message.subject.startswith("Es hora de pedir su próxima inyección")
    assert "miércoles, 9 de diciembre de 2026" in message.body
    assert "http://127.0.0.1:8000/book/?type=x&lang=es" in message.body


def _spanish_patient(email: str = "ana@example.com") -> Patient:
    return Patient.objects.create(
        mrn="ES-0001",
        given_name="Ana",
        family_name="López",
        email=email,
        preferred_language="es",
    )


def _waitlist(c, patient):
    return actions.join_waitlist(
        patient=patient,
        appointment_type=c["type"],
        earliest=c["monday"],
        latest=c["monday"] + timedelta(days=4),
    )


@EMAILS
def test_waitlist_emails_are_in_the_patients_language(spanish_clinic):
    """Joined, a time held for them, a time freed: all three in Spanish, links in Spanish."""
    c = spanish_clinic
    patient = _spanish_patient()
    entry = _waitlist(c, patient)
    [joined] = [m for m in mail.outbox if m.to == [patient.email]]
    assert joined.subject.startswith("Está en la lista de espera")
    assert "Hola, Ana:" in joined.body
    assert "esta visita: Consulta de seguimiento, cualquier día del lunes, " in joined.body
    assert english_in(joined.body) == []

    mail.outbox.clear()
    actions.offer_waitlist_slot(entry=entry, start=c["start"], clinician=c["clinician"])
    [held] = [m for m in mail.outbox if m.to == [patient.email]]
    assert held.subject.startswith("Le guardamos una cita antes")
    assert f"lunes, {c['monday'].day} de " in held.body and "10:00" in held.body
    assert re.search(r"http://\S+/waitlist/offers/\S+/\?lang=es", held.body)
    assert english_in(held.body) == []


@EMAILS
def test_a_freed_time_is_offered_in_the_patients_language(spanish_clinic):
    c = spanish_clinic
    appointment = actions.book_appointment(
        appointment_type=c["type"],
        start=c["start"],
        clinician=c["clinician"],
        contact=Contact("Luis", "Mora", "luis@example.com", "", date(1960, 1, 2)),
    )
    patient = _spanish_patient()
    _waitlist(c, patient)
    mail.outbox.clear()
    actions.cancel_appointment(appointment)
    [offer] = [m for m in mail.outbox if m.to == [patient.email]]
    assert offer.subject.startswith("Hay una cita libre antes")
    assert "Consulta de seguimiento con Dra. Ana Ruiz" in offer.body
    assert f"lunes, {c['monday'].day} de " in offer.body and "10:00" in offer.body
    assert re.search(r"/book/details/\?\S+&lang=es", offer.body)
    assert english_in(offer.body) == []


@EMAILS
def test_waitlist_emails_stay_english_for_english_speakers(spanish_clinic):
    c = spanish_clinic
    patient = _spanish_patient()
    Patient.objects.filter(pk=patient.pk).update(preferred_language="")
    patient.refresh_from_db()
    _waitlist(c, patient)
    [joined] = [m for m in mail.outbox if m.to == [patient.email]]
    assert joined.subject.startswith("You are on the waitlist")
    assert "Hello Ana," in joined.body and "?lang=" not in joined.body


@pytest.mark.django_db
def test_account_invitation_is_in_the_patients_language(django_capture_on_commit_callbacks):
    from collis.patients.actions import invite_patient

    patient = _spanish_patient("ana.lopez@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        invite_patient(patient, None)
    [message] = mail.outbox
    assert message.subject == "Active su cuenta de paciente"
    assert "Hola, Ana:" in message.body and "elija una contraseña" in message.body
    assert re.search(r"http://\S+/accounts/activate/\S+/\?lang=es", message.body)
    assert english_in(message.body) == []


@pytest.mark.django_db
def test_password_reset_email_is_in_the_readers_language(client):
    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role

    ensure_user_with_role(
        "ana", Role.PATIENT, password="pw-ana-123456", email="ana@example.com", first_name="Ana"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.post(reverse("accounts:password-reset"), {"email": "ana@example.com"})
    [message] = mail.outbox
    assert message.subject.startswith("Restablezca su contraseña")
    assert "Hola, Ana:" in message.body and "el enlace sirve una sola vez" in message.body
    assert english_in(message.body) == []


@pytest.mark.django_db
def test_checkin_reminder_is_in_the_patients_language():
    from collis.checkins.reminders import reminder_email

    patient = _spanish_patient()
    message = reminder_email(patient, date(2026, 12, 9))
    assert message.subject == "Su control del cuello"
    assert "Hola, Ana:" in message.body and "miércoles, 9 de diciembre" in message.body
    assert re.search(r"http://\S+/portal/checkins/new/\?lang=es", message.body)
    assert english_in(message.body) == []
    Patient.objects.filter(pk=patient.pk).update(preferred_language="")
    patient.refresh_from_db()
    english = reminder_email(patient, date(2026, 12, 9))
    assert english.subject == "Your neck check-in" and "Wednesday, December 9" in english.body
