"""Journeys end to end in Chromium (issue #11): what a patient and the front desk click through,
including the error paths of the forms (empty, past date, double submit, Back then resubmit)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from collis.scheduling.models import Appointment

FOLLOW_UP = "injection-follow-up"


def _free_slot(after=None, clinician_slug: str | None = None):
    from collis.providers.models import Clinician
    from collis.scheduling import availability
    from collis.scheduling.models import AppointmentType

    kind = AppointmentType.objects.get(slug=FOLLOW_UP)
    clinicians = [Clinician.objects.get(slug=clinician_slug)] if clinician_slug else None
    since = after or timezone.now() + timedelta(days=2)
    return availability.find_slots(kind, clinicians=clinicians, since=since, limit=1)[0]


def _details_url(site, slot) -> str:
    from urllib.parse import urlencode

    from collis.providers.models import Clinician

    clinician = Clinician.objects.get(pk=int(slot.clinician))
    query = {"type": FOLLOW_UP, "clinician": clinician.slug, "start": slot.start.isoformat()}
    return f"{site.url}/book/details/?{urlencode(query)}"


def _fill_details(page: Page, email: str) -> None:
    page.get_by_label("First name").fill("Jamie")
    page.get_by_label("Last name").fill("Journey")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Date of birth").fill("1981-03-04")


def test_book_then_manage_link_reschedule_and_cancel(page: Page, site):
    """Book online, open the emailed link, move the visit, then cancel it."""
    page.goto(_details_url(site, _free_slot()))
    _fill_details(page, "jamie@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    [email] = [m for m in mail.outbox if m.to == ["jamie@example.com"]]
    link = re.search(r"https?://[^/\s]+(/appointments/\S+/)", email.body).group(1)

    page.goto(site.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your appointment")
    # The page's own two forms; the language switcher in the header is on every page.
    assert page.locator("html").count() == 1
    assert page.locator("form:not(.language-form)").count() == 2
    page.get_by_role("link", name="Later days").click()
    page.locator("input[name=start]").first.check()
    page.get_by_role("button", name="Move my appointment").click()
    expect(page.get_by_text("Your appointment has moved")).to_be_visible()
    appointment = Appointment.objects.get(contact_email="jamie@example.com")
    assert appointment.sequence == 1

    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_text("Your appointment is cancelled")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_booking_form_error_paths(page: Page, site):
    """Empty form, a time that has passed, a double click and Back then Book again."""
    slot = _free_slot()
    before = Appointment.objects.count()
    page.goto(_details_url(site, slot))
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert Appointment.objects.count() == before

    past = slot.__class__(
        start=timezone.now() - timedelta(days=1),
        end=timezone.now() - timedelta(days=1) + timedelta(minutes=20),
        clinician=slot.clinician,
        place=slot.place,
    )
    page.goto(_details_url(site, past))
    _fill_details(page, "late@example.com")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("That time has already passed")).to_be_visible()

    page.goto(_details_url(site, slot))
    _fill_details(page, "twice@example.com")
    page.get_by_role("button", name="Book this time").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    assert Appointment.objects.filter(contact_email="twice@example.com").count() == 1

    page.go_back()
    if page.get_by_role("button", name="Book this time").count():
        if not page.get_by_label("Email").input_value():
            _fill_details(page, "twice@example.com")
        page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your appointment")
    assert "just taken" not in page.content()
    assert Appointment.objects.filter(contact_email="twice@example.com").count() == 1


def test_desk_books_moves_and_marks_arrived_then_completed(page: Page, site, sign_in):
    """The front desk books in clinic time, moves the visit, and on the day marks it through."""
    from collis.demo.accounts import FRONT_DESK_LOGIN
    from collis.patients.models import Patient
    from collis.providers.models import Clinician
    from collis.scheduling.availability import clinic_zone

    sign_in(site, *FRONT_DESK_LOGIN)
    slot = _free_slot()
    clinician = Clinician.objects.get(pk=int(slot.clinician))
    patient = Patient.objects.filter(mrn="DEMO-0030").get()
    local = slot.start.astimezone(clinic_zone())
    page.goto(site.url + "/desk/book/")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("Find the patient").fill(patient.mrn)
    page.get_by_role("button", name="Find", exact=True).click()
    page.locator("#id_patient").select_option(str(patient.pk))
    page.locator("#id_appointment_type").select_option(label="Injection follow-up")
    page.locator("#id_clinician").select_option(str(clinician.pk))
    page.locator("#id_location").select_option(slot.place)
    page.locator("#id_date").fill((local.date() - timedelta(days=30)).isoformat())
    page.locator("#id_time").fill(local.strftime("%H:%M"))
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text("That time has already passed")).to_be_visible()
    page.locator("#id_date").fill(local.date().isoformat())
    page.get_by_role("button", name="Book", exact=True).click()
    hour = f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
    expect(page.get_by_text(re.compile(rf"Booked: .* {re.escape(hour)}\.$"))).to_be_visible()
    appointment = Appointment.objects.get(patient=patient, start=slot.start)
    assert page.get_by_role("button", name="Mark arrived").count() == 0  # not before its day

    later = _free_slot(after=slot.end + timedelta(days=1), clinician_slug=clinician.slug)
    moved = later.start.astimezone(clinic_zone())
    move = page.locator("form", has=page.get_by_role("button", name="Move appointment"))
    move.locator("input[name=date]").fill(moved.date().isoformat())
    move.locator("input[name=time]").fill(moved.strftime("%H:%M"))
    move.get_by_role("button", name="Move appointment").click()
    expect(page.get_by_text("Moved. The patient was emailed the new time.")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.start == later.start

    # The day comes: the appointment is now (set directly; no booking may be made in the past).
    shift = timezone.now() - appointment.start
    Appointment.objects.filter(pk=appointment.pk).update(
        start=appointment.start + shift,
        end=appointment.end + shift,
        blocked_start=appointment.blocked_start + shift,
        blocked_end=appointment.blocked_end + shift,
    )
    page.reload()
    page.get_by_role("button", name="Mark arrived").click()
    expect(page.get_by_text("Marked arrived.")).to_be_visible()
    page.get_by_role("button", name="Mark completed").click()
    expect(page.get_by_text("Marked completed.")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == "completed"
