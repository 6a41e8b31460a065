"""A patient books the first available injection follow-up online, end to end."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect


def _book_first_available(page: Page, site, given: str, email: str) -> str:
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Book an appointment"
    ).click()
    page.get_by_label("Injection follow-up").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("First available").check()
    page.get_by_label("Any location").check()
    page.get_by_role("button", name="Show times").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pick a time")
    first_slot = page.locator(".slot-list a").first
    label = first_slot.get_attribute("aria-label")
    first_slot.click()
    page.get_by_label("First name").fill(given)
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Date of birth").fill("1979-06-15")
    page.get_by_label("Reason for the visit").fill("new to the clinic with neck turning")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    return label


def test_patient_books_first_available_follow_up_and_the_slot_disappears(page: Page, site):
    taken = _book_first_available(page, site, "Robin", "robin@example.com")
    [confirmation] = [m for m in mail.outbox if m.to == ["robin@example.com"]]
    assert "Injection follow-up" in confirmation.body
    assert confirmation.attachments[0][0] == "appointment.ics"
    assert re.search(r"/appointments/\S+/", confirmation.body)

    # The next patient no longer sees that time.
    next_first = _book_first_available(page, site, "Casey", "casey@example.com")
    assert next_first != taken
    page.goto(site.url + "/book/slots/?type=injection-follow-up&clinician=any&location=any")
    labels = page.locator(".slot-list a").evaluate_all("els => els.map(e => e.ariaLabel)")
    assert taken not in labels and next_first not in labels
