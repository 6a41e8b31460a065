"""Emails and calendar files in the patient's language, with Spanish dates (issue #17)."""

from __future__ import annotations

import re
from datetime import date
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
