"""Supply pages, the desk's authorisation warning and the status API, through the client."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from collis.audit.models import AuditEvent
from collis.scheduling.models import AppointmentType, BookingPolicy, WeeklyHours
from collis.supply import actions
from collis.supply.models import Vial, VialDraw

from .conftest import DAY, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def injection_type(clinician, location):
    BookingPolicy.objects.create(min_notice_hours=0, horizon_days=120, granularity_minutes=15)
    clinician.locations.add(location)
    for weekday in range(7):
        WeeklyHours.objects.create(
            clinician=clinician, location=location, weekday=weekday, start=time(8), end=time(18)
        )
    kind = AppointmentType.objects.create(
        name="Botulinum-toxin injection",
        slug="toxin-injection",
        duration_minutes=30,
        is_reinjection=True,
    )
    kind.clinicians.add(clinician)
    return kind


def book_at_desk(client, patient, kind, clinician, location, day):
    return client.post(
        reverse("scheduling:desk-book"),
        {
            "patient": patient.pk,
            "appointment_type": kind.pk,
            "clinician": clinician.pk,
            "location": location.pk,
            "date": day,
            "time": "10:00",
        },
        follow=True,
    )


def test_desk_booking_warns_when_the_authorisation_has_expired(
    client, login_staff, front_desk, administrator, patient, clinician, location, botox,
    injection_type,
):  # fmt: skip
    day = timezone.localdate() + timedelta(days=10)
    actions.record_authorisation(
        None,
        actor=administrator,
        patient=patient,
        payer="Acme Health",
        number="PA-OLD",
        product=botox,
        units_per_session=300,
        sessions_approved=4,
        valid_from=day - timedelta(days=300),
        valid_to=day - timedelta(days=1),
    )
    login_staff(front_desk)
    page = book_at_desk(client, patient, injection_type, clinician, location, day)
    text = page.content.decode()
    assert page.status_code == 200
    assert "No prior authorisation is valid on" in text
    # The appointment page keeps showing it, without clinical notes.
    assert "Before this injection" in text


def test_desk_booking_with_a_valid_authorisation_shows_no_warning(
    client, login_staff, front_desk, administrator, patient, clinician, location, botox,
    injection_type,
):  # fmt: skip
    day = timezone.localdate() + timedelta(days=10)
    actions.record_authorisation(
        None, actor=administrator, patient=patient, payer="Acme", number="PA-OK",
        product=botox, units_per_session=300, sessions_approved=4,
        valid_from=day - timedelta(days=30), valid_to=day + timedelta(days=30),
    )  # fmt: skip
    login_staff(front_desk)
    text = book_at_desk(client, patient, injection_type, clinician, location, day).content
    assert b"Before this injection" not in text and b"No prior authorisation" not in text


def test_api_tells_the_desk_the_authorisation_status(
    client, login_staff, front_desk, administrator, patient, botox
):
    actions.record_authorisation(
        None, actor=administrator, patient=patient, payer="Acme", number="PA-2",
        product=botox, units_per_session=200, sessions_approved=1,
        valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31),
    )  # fmt: skip
    login_staff(front_desk)
    url = reverse("api:authorisation_status_view")
    ok = client.get(url, {"patient": patient.pk, "on": "2026-06-01", "planned_units": 150}).json()
    assert (ok["status"], ok["warns"], ok["sessions_left"]) == ("covered", False, 1)
    short = client.get(url, {"patient": patient.pk, "on": "2026-06-01", "planned_units": 250})
    assert short.json()["status"] == "too_few_units"
    late = client.get(url, {"patient": patient.pk, "on": "2027-01-02"}).json()
    assert (late["status"], late["warns"]) == ("none_valid", True)


def test_clinician_records_draws_and_sees_claim_lines(
    client, login_staff, clinician_user, patient, botox_lot, location, record_session
):
    now = timezone.now()
    vial = actions.open_vial(
        None, actor=clinician_user, lot=botox_lot, location=location, diluent_ml=2, opened_at=now
    )
    session = record_session(patient, botox_lot, day=timezone.localdate(), units=(30, 30))
    login_staff(clinician_user)
    url = reverse("supply:session", args=[session.pk])
    assert f"vial_{vial.pk}" in client.get(url).content.decode()
    response = client.post(url, {f"vial_{vial.pk}": 60})
    assert response.status_code == 302
    assert VialDraw.objects.get().units == 60
    closed = client.post(reverse("supply:vial-close", args=[vial.pk]), {"next": url})
    assert closed["Location"] == url
    page = client.get(url).content.decode()
    assert "J0585" in page and "JW" in page and "64616" in page and "G24.3" in page
    assert Vial.objects.get().discarded_units == 40


def test_expired_vial_is_not_offered_on_the_session_page(
    client, login_staff, clinician_user, patient, botox_lot, location, record_session
):
    old = timezone.now() - timedelta(hours=25)  # Botox: 24 h after reconstitution
    actions.open_vial(
        None, actor=clinician_user, lot=botox_lot, location=location, diluent_ml=2, opened_at=old
    )
    session = record_session(patient, botox_lot, day=timezone.localdate())
    login_staff(clinician_user)
    page = client.get(reverse("supply:session", args=[session.pk])).content.decode()
    assert "vial_" not in page and "No open Botox vial can be used now" in page


def test_claim_csv_lists_the_days_lines_and_is_audited(
    client, login_staff, administrator, clinician_user, patient, botox_lot, location,
    record_session,
):  # fmt: skip
    vial = actions.open_vial(
        None, actor=clinician_user, lot=botox_lot, location=location, diluent_ml=2,
        opened_at=at(DAY, 8),
    )  # fmt: skip
    session = record_session(patient, botox_lot, units=(50, 50))
    actions.record_draws(
        None, actor=clinician_user, session=session, draws=[(vial, 100)], now=at(DAY, 9)
    )
    actions.close_vial(None, actor=clinician_user, vial=vial, closed_at=at(DAY, 12))
    login_staff(administrator)
    response = client.get(reverse("supply:claims-csv"), {"date": DAY.isoformat()})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["code"], r["modifiers"], r["billing_units"]) for r in rows] == [
        ("J0585", "JZ", "100"),
        ("64616", "50", "1"),
        ("95874", "", "1"),
    ]
    assert rows[0]["ndc"] == "00023114501" and rows[0]["mrn"] == patient.mrn
    assert AuditEvent.objects.filter(object_type="supply.ClaimLines", action="export").exists()


def test_manager_pages_render(
    client, login_staff, administrator, botox_lot, patient, clinician_user, record_session
):
    record_session(patient, botox_lot)
    login_staff(administrator)
    for name, args in [
        ("supply:dashboard", []),
        ("supply:receive", []),
        ("supply:lot-detail", [botox_lot.pk]),
        ("supply:lot-recall", [botox_lot.pk]),
        ("supply:vial-open", []),
        ("supply:claims-day", []),
        ("supply:authorisations", []),
        ("supply:authorisation-create", []),
        ("supply:report", []),
        ("supply:policy", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert b"style=" not in response.content and b"<script>" not in response.content, name
    recall = client.get(reverse("supply:lot-recall", args=[botox_lot.pk])).content.decode()
    assert patient.full_name in recall


def test_receive_form_adds_stock(client, login_staff, administrator, botox, location):
    login_staff(administrator)
    response = client.post(
        reverse("supply:receive"),
        {
            "product": botox.pk,
            "lot_number": "NEW-1",
            "vial_size_units": 200,
            "expires_on": "2027-12-31",
            "vials": 4,
            "ndc": "00023-3921-02",
            "supplier": "Distributor",
            "received_on": "2026-11-01",
            "location": location.pk,
        },
    )
    assert response.status_code == 302
    dashboard = client.get(reverse("supply:dashboard")).content.decode()
    assert "NEW-1" in dashboard


def test_visit_summary_shows_claim_lines_to_staff_only(
    client, login_staff, clinician_user, patient_user, patient, botox_lot, location,
    record_session,
):  # fmt: skip
    vial = actions.open_vial(
        None, actor=clinician_user, lot=botox_lot, location=location, diluent_ml=2,
        opened_at=at(DAY, 8),
    )  # fmt: skip
    session = record_session(patient, botox_lot, units=(25, 25))
    actions.record_draws(
        None, actor=clinician_user, session=session, draws=[(vial, 50)], now=at(DAY, 9)
    )
    actions.close_vial(None, actor=clinician_user, vial=vial, closed_at=at(DAY, 12))
    login_staff(clinician_user)
    page = client.get(reverse("patients:visit-summary", args=[session.visit_id])).content
    assert b"Claim lines" in page and b"JW" in page and b"J0585" in page
    pdf = client.get(reverse("patients:visit-summary-pdf", args=[session.visit_id])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "J0585" in text and "JW" in text and "64616" in text
    client.logout()
    client.force_login(patient_user)
    portal = client.get(reverse("portal:visit-summary", args=[session.visit_id]))
    assert portal.status_code == 200 and b"J0585" not in portal.content
    portal_pdf = client.get(reverse("portal:visit-summary-pdf", args=[session.visit_id])).content
    assert "J0585" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(portal_pdf)).pages)


def test_desk_can_check_authorisation_before_booking(
    client, login_staff, front_desk, patient, clinician, location, injection_type
):
    from collis.scheduling.models import Appointment

    day = timezone.localdate() + timedelta(days=10)
    login_staff(front_desk)
    response = client.post(
        reverse("scheduling:desk-book"),
        {
            "patient": patient.pk,
            "appointment_type": injection_type.pk,
            "clinician": clinician.pk,
            "location": location.pk,
            "date": day,
            "time": "10:00",
            "check": "1",
        },
    )
    assert b"No prior authorisation is valid on" in response.content
    assert not Appointment.objects.exists()


def test_closing_a_vial_never_redirects_off_site(
    client, login_staff, clinician_user, botox_lot, location
):
    vial = actions.open_vial(
        None, actor=clinician_user, lot=botox_lot, location=location, diluent_ml=2
    )
    login_staff(clinician_user)
    response = client.post(
        reverse("supply:vial-close", args=[vial.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("supply:dashboard")


def test_api_booking_by_staff_carries_the_authorisation_warning_anonymous_none(
    client, login_staff, front_desk, patient, clinician, location, injection_type
):
    from datetime import datetime

    injection_type.bookable_online = True
    injection_type.save()
    patient.email, patient.birth_date = "pat@example.com", date(1970, 1, 2)
    patient.save()
    zone = timezone.get_current_timezone()
    day = timezone.localdate() + timedelta(days=10)

    def book(hour):
        return client.post(
            "/api/scheduling/appointments",
            {
                "appointment_type": "toxin-injection",
                "start": datetime.combine(day, time(hour)).replace(tzinfo=zone).isoformat(),
                "clinician": clinician.slug,
                "contact": {
                    "given_name": "Pat",
                    "family_name": "Tester",
                    "email": "pat@example.com",
                    "birth_date": "1970-01-02",
                },
            },
            content_type="application/json",
            HTTP_ORIGIN="http://testserver",  # a signed-in write comes from our own pages
        )

    anonymous = book(9)
    assert anonymous.status_code == 201, anonymous.content
    assert anonymous.json()["warnings"] == []
    login_staff(front_desk)
    staff = book(11)
    assert staff.status_code == 201, staff.content
    assert staff.json()["warnings"] == [f"No prior authorisation is valid on {day:%Y-%m-%d}."]


@pytest.mark.parametrize(
    ("asked", "error"),
    [
        ("2026-13", "There is no such month"),
        ("October", "Enter the month as YYYY-MM"),
    ],
)
def test_report_refuses_a_month_it_cannot_read_and_says_so(
    client, login_staff, administrator, asked, error
):
    login_staff(administrator)
    response = client.get(reverse("supply:report"), {"month": asked})
    html = response.content.decode()
    today = timezone.localdate()
    current = f"{today.year:04d}-{today.month:02d}"
    assert response.status_code == 200
    assert error in html and f"Showing {current} instead." in html
    assert 'aria-invalid="true"' in html and f'value="{asked}"' in html  # the input kept


def test_report_steps_to_the_previous_and_next_month(client, login_staff, administrator):
    login_staff(administrator)
    html = client.get(reverse("supply:report"), {"month": "2026-01"}).content.decode()
    assert "Supply report, 2026-01" in html
    assert 'href="?month=2025-12"' in html and 'href="?month=2026-02"' in html
    assert 'role="alert"' not in html


def test_claim_lines_say_when_they_cannot_read_the_date(client, login_staff, administrator):
    login_staff(administrator)
    html = client.get(reverse("supply:claims-day"), {"date": "yesterday"}).content.decode()
    today = timezone.localdate().isoformat()
    assert 'role="alert"' in html and f"Showing {today} instead." in html
    assert f"Claim lines, {today}" in html
