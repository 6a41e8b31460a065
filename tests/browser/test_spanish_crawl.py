"""The patient crawl in Spanish (issue #17): every page a patient may open, in headless Chromium,
for a demo patient whose saved language is Spanish, on a browser that asks for English.

The page list is the crawl's own (``test_crawl.crawl_targets``: the URL resolver and the access
matrix), so a new patient page is checked here as soon as it has its matrix row. Each page's
visible text, its <title> and its accessible labels (aria-label, placeholder, title, alt,
value of buttons) must hold no English interface word. What the clinic typed (visit type and
clinician names, bios, addresses, a clinician's free-text notes, the patient's own notes) is
shown as entered, so those values are taken out of the text first; everything else is the
interface and must be Spanish. Dates must be Spanish too: no English month or weekday name, and
the diary list must show a Spanish month.
"""

from __future__ import annotations

import re

import pytest

from .test_crawl import PHONE, _sign_in, crawl_targets

# Words only English interface text contains: not Spanish, not names, codes or units ("may" is
# left out: it is also Spanish's short name for mayo).
ENGLISH = re.compile(
    r"\b(the|your|you|with|and|please|book|booking|appointment|appointments|sign|minutes|"
    r"back|continue|search|cancel|reschedule|choose|pick|time|times|when|where|visit|visits|"
    r"phone|language|clinic|details|first|last|name|date|birth|reason|email|password|"
    r"diary|today|week|weeks|pain|save|home|programme|charts|hello|days|later|earlier|free|"
    r"what|who|how|change|keep|yes|none|mild|severe|moderate|note|notes|skip|main|powered|"
    r"summary|download|report|side|effect|effects|symptoms|swallowing|breathing|trouble|"
    r"weakness|headache|exercise|exercises|hold|repeat|slowly|stretch|gently|record|"
    r"check-in|consent|security|account|code|codes|backup|allow|deny|app|access|"
    r"injection|injections|next|previous|page|of|for|this|that|is|are|was|were|has|have|"
    r"not|no longer|will|can|our|we|us|send|sent|show|open|new|done|ticked|tick|"
    r"january|february|march|april|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|am|pm)\b",
    re.IGNORECASE,
)
SPANISH_MONTH = re.compile(r"\b(ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)[a-z]*\b")

VISIBLE_TEXT = """() => {
  const labels = [...document.querySelectorAll('[aria-label],[placeholder],[title],[alt]')]
    .flatMap(e => ['aria-label', 'placeholder', 'title', 'alt'].map(a => e.getAttribute(a)))
    .filter(Boolean);
  const buttons = [...document.querySelectorAll('input[type=submit],input[type=button]')]
    .map(e => e.value);
  const options = [...document.querySelectorAll('option')].map(e => e.textContent);
  return [document.title, document.body.innerText, ...labels, ...buttons, ...options]
    .join('\\n');
}"""


def clinic_entered_text(patient) -> list[str]:
    """Values the clinic or the patient typed, shown as entered (longest first)."""
    from oauth2_provider.models import Application

    from collis.diary.models import DiaryEntry, HomeProgramme, ProgrammeItem
    from collis.injections.models import InjectionSession
    from collis.patients.models import Visit
    from collis.providers.models import Clinic, Clinician, Location, Specialty
    from collis.scheduling.models import AppointmentType

    def text_fields(row) -> list[str]:  # noqa: ANN001
        return [
            str(getattr(row, f.name) or "")
            for f in row._meta.fields
            if f.get_internal_type() in ("CharField", "TextField") and not f.choices
        ]

    values: list[str] = []
    for row in [*Clinic.objects.all(), *Location.objects.all(), *Specialty.objects.all()]:
        values += text_fields(row)
    values += [location.one_line_address for location in Location.objects.all()]
    values += [app.name for app in Application.objects.all()]
    values += [plan.notes for plan in HomeProgramme.objects.filter(patient=patient)]
    for clinician in Clinician.objects.all():
        values += [clinician.display_name, getattr(clinician, "title", "")]
        values += (getattr(clinician, "bio", "") or "").split("\n")
    for kind in AppointmentType.objects.all():
        values += [kind.name, getattr(kind, "description", "")]
    for visit in Visit.objects.filter(patient=patient):
        values += text_fields(visit)
    for session in InjectionSession.objects.filter(patient=patient):
        values += [str(session.product), getattr(session, "notes", "") or ""]
    values += [e.note for e in DiaryEntry.objects.filter(patient=patient)]
    for item in ProgrammeItem.objects.filter(programme__patient=patient):
        values += [item.frequency, item.dose]
    values += [patient.given_name, patient.family_name, patient.full_name, patient.email]
    lines = {v.strip() for value in values for v in str(value).split("\n") if v.strip()}
    return sorted(lines, key=len, reverse=True)


def english_left(text: str, entered: list[str]) -> list[str]:
    """The English words left in ``text`` once clinic-entered values are taken out, each with
    the line it stands in (to find the template)."""
    for value in entered:
        text = re.sub(re.escape(value), " ", text, flags=re.IGNORECASE)
    found: dict[str, str] = {}
    for line in text.split("\n"):
        for m in ENGLISH.finditer(line):
            found.setdefault(m.group(0).lower(), line.strip()[:90])
    return [f"{word!r} in {line!r}" for word, line in sorted(found.items())]


@pytest.mark.django_db(transaction=True)
def test_every_patient_page_is_spanish_for_a_spanish_speaking_patient(site, browser):
    from collis.demo.patients import PATIENT_LOGIN
    from collis.patients.models import Patient

    targets = [t for t in crawl_targets() if "patient" in t.roles]
    patient = Patient.objects.get(user__username=PATIENT_LOGIN[0])
    Patient.objects.filter(pk=patient.pk).update(preferred_language="es")
    entered = clinic_entered_text(patient)

    # The browser asks for English: Spanish comes from the patient's saved language alone.
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    _sign_in(page, site.url, "patient")
    failures: list[str] = []
    for target in targets:
        response = page.goto(site.url + target.path, wait_until="load")
        if response is None or response.status != 200:
            failures.append(f"{target.path}: status {response.status if response else 'none'}")
            continue
        if page.locator("html").get_attribute("lang") != "es":
            failures.append(f"{target.path}: <html lang> is not es")
        left = english_left(page.evaluate(VISIBLE_TEXT), entered)
        if left:
            failures.append(f"{target.path}: English left:\n    " + "\n    ".join(left))
        body = page.locator("body").inner_text()
        if target.route == "portal/diary/" and not SPANISH_MONTH.search(body):
            failures.append(f"{target.path}: no Spanish month name in the diary list")
        for value in page.locator("input[type=date]").evaluate_all("l => l.map(e => e.value)"):
            if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                failures.append(f"{target.path}: date field holds {value!r}, not ISO")
    context.close()
    print(f"\nSpanish crawl: {len(targets)} patient pages")
    assert len(targets) >= 20, [t.path for t in targets]
    assert not failures, "\n".join(failures)
