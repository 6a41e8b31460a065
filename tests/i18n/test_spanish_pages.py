"""Every patient page renders in Spanish with no English left in the interface (issue #17).

The clinic data here is written in Spanish (names, visit types), so any English word found in
a page's visible text or accessible labels comes from an untranslated template, form, choice or
message. A new patient-facing string without {% translate %} fails this test.
"""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from collis.scheduling import actions
from collis.scheduling.actions import Contact
from collis.scheduling.links import manage_token

# Words that only English interface text would contain (not Spanish, not names or codes).
ENGLISH = re.compile(
    r"\b(the|your|you|with|and|please|book|booking|appointment|appointments|sign|minutes|"
    r"back|continue|search|cancel|reschedule|choose|pick|time|times|when|where|visit|"
    r"phone|language|clinic|details|first|last|name|date|birth|reason|email|password|"
    r"diary|today|week|pain|save|home|programme|charts|hello|days|later|earlier|free|"
    r"what|who|how|change|keep|yes|none|mild|severe|moderate|note|skip|main|powered)\b",
    re.IGNORECASE,
)
VISIBLE = re.compile(r'(?:aria-label|placeholder|title|alt)="([^"]*)"')
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def english_words(page: str) -> list[str]:
    labels = " ".join(VISIBLE.findall(page))
    text = html.unescape(TAGS.sub(" ", page) + " " + labels)
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


def _assert_spanish(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200, (url, response.status_code)
    page = response.content.decode()
    assert '<html lang="es">' in page, url
    assert english_words(page) == [], f"English left on {url}: {english_words(page)}"
    return page


@pytest.mark.django_db
def test_public_and_booking_pages_are_all_spanish(client, spanish_clinic):
    c = spanish_clinic
    query = {"type": "seguimiento", "clinician": "dra-ruiz", "location": "centro"}
    details = {**query, "start": c["start"].isoformat()}
    for url in (
        reverse("home"),
        reverse("providers:clinician-list"),
        reverse("providers:clinician-detail", args=["dra-ruiz"]),
        reverse("scheduling:book-start"),
        reverse("scheduling:book-choose") + "?type=seguimiento",
        reverse("scheduling:book-slots") + "?" + urlencode({**query, "from": c["monday"]}),
        reverse("scheduling:book-details") + "?" + urlencode(details),
        reverse("scheduling:book-waitlist") + "?" + urlencode(query),
        reverse("accounts:login"),
        reverse("accounts:password-reset"),
        reverse("search") + "?q=zzz",
    ):
        _assert_spanish(client, url)


@pytest.mark.django_db
def test_dates_use_spanish_formats(client, spanish_clinic):
    c = spanish_clinic
    appointment = actions.book_appointment(
        appointment_type=c["type"],
        start=c["start"],
        clinician=c["clinician"],
        contact=Contact("Rosa", "Díaz", "rosa@example.com", "", date(1970, 3, 4)),
    )
    page = _assert_spanish(
        client, reverse("scheduling:appointment-manage", args=[manage_token(appointment)])
    )
    assert "lunes, " in page and " de " in page
    assert "10:00" in page and not re.search(r"\d:\d\d\s*[AP]\.?M\b", page)  # 24 h, no AM/PM


@pytest.mark.django_db
def test_manage_cancel_and_reschedule_pages_are_spanish(client, spanish_clinic):
    c = spanish_clinic
    appointment = actions.book_appointment(
        appointment_type=c["type"],
        start=c["start"],
        clinician=c["clinician"],
        contact=Contact("Rosa", "Díaz", "rosa@example.com", "", date(1970, 3, 4)),
    )
    token = manage_token(appointment)
    _assert_spanish(client, reverse("scheduling:appointment-manage", args=[token]))
    _assert_spanish(client, reverse("scheduling:appointment-cancel", args=[token]))
    page = _assert_spanish(
        client,
        reverse("scheduling:appointment-reschedule", args=[token]) + f"?from={c['monday']}",
    )
    assert page.count('<form method="post">') == 1  # the page was once repeated 1,000 times


@pytest.mark.django_db
def test_portal_pages_are_spanish(client, spanish_clinic, patient):
    patient.given_name, patient.family_name = "Rosa", "Díaz"
    patient.preferred_language = "es"
    patient.save()
    client.force_login(patient.user)
    for name in (
        "portal:home",
        "portal:diary-list",
        "portal:diary-create",
        "portal:programme",
        "portal:charts",
        "accounts:home",
    ):
        _assert_spanish(client, reverse(name))


@pytest.mark.django_db
def test_portal_side_effect_reports_are_spanish(client, spanish_clinic, patient, clinician_user):
    from collis.injections.actions import report_side_effect, review_side_effect_report

    patient.given_name, patient.family_name = "Rosa", "Díaz"
    patient.save()
    client.force_login(patient.user)
    _assert_spanish(client, reverse("portal:side-effect-list"))  # none yet
    report = report_side_effect(
        None, actor=patient.user, patient=patient, symptoms=["ptosis", "dysphagia"], severe=True
    )
    review_side_effect_report(None, actor=clinician_user, report=report)
    _assert_spanish(client, reverse("portal:side-effect-list"))
    _assert_spanish(client, reverse("portal:side-effect-detail", args=[report.pk]))


@pytest.mark.django_db
def test_a_diary_entry_in_spanish_shows_spanish_errors_and_message(client, patient):
    client.force_login(patient.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.post(reverse("portal:diary-create"), {"note": "x"}).content.decode()
    assert "Este campo es obligatorio." in page
    response = client.post(
        reverse("portal:diary-create"),
        {
            "entry_date": timezone.localdate().isoformat(),
            "period": "day",
            "severity": 4,
            "pain": 2,
            "tremor": 0,
        },
        follow=True,
    )
    assert "Gracias: su anotación del diario está guardada." in response.content.decode()


@pytest.mark.django_db
def test_date_inputs_keep_iso_values_in_spanish(client, patient):
    """<input type=date> only takes ISO: es formats once left the diary's day empty."""
    client.force_login(patient.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("portal:diary-create")).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
