"""The new desk and offer pages keep the site's page rules: one <html>, a title and an <h1>,
no inline script or style (strict CSP)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from collis.scheduling import actions


def _page_rules(content: bytes) -> None:
    html = content.decode()
    assert html.lower().count("<html") == 1
    assert re.search(r"<title>\s*\S", html) and html.count("<h1") == 1
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert " onclick=" not in html


@pytest.mark.django_db
def test_new_pages_follow_the_page_rules(client, login_staff, front_desk, clinic, patient):
    entry = actions.join_waitlist(
        patient=patient,
        appointment_type=clinic.follow_up,
        earliest=clinic.monday,
        latest=clinic.monday + timedelta(days=2),
    )
    hold = actions.offer_waitlist_slot(
        entry=entry, start=clinic.at(clinic.monday, 10), clinician=clinic.okafor
    )
    _page_rules(client.get(f"/waitlist/offers/{hold.token}/").content)
    _page_rules(client.get("/waitlist/offers/unknown/").content)
    login_staff(front_desk)
    _page_rules(client.get("/desk/waitlist/").content)
    _page_rules(
        client.get(
            f"/desk/waitlist/?offer={entry.pk}&clinician={clinic.okafor.pk}&date={clinic.monday}"
        ).content
    )
    _page_rules(client.get("/desk/book/?q=nobody").content)
