"""Clinical journeys in the browser: a whole injection visit, and a patient's diary."""

import re

from playwright.sync_api import Page, expect

from collis.scales.twstrs import ITEMS


def test_clinician_records_twstrs_and_an_injection_session(page: Page, site, sign_in):
    sign_in(site, "dr.maya-okafor", "collis-clinician-demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")
    page.get_by_label("Name or MRN").fill("DEMO-0002")
    page.get_by_role("button", name="Find patient").click()
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_text("Wearing off early:")).to_be_visible()

    # TWSTRS: a missing item is named and nothing is lost; then the complete form is scored.
    page.get_by_role("link", name="Record TWSTRS").click()
    page.get_by_label("Timepoint").select_option("baseline")
    for item in ITEMS:
        if item.key != "reading":
            page.get_by_label(item.label, exact=True).select_option(str(item.maximum // 2))
    page.get_by_role("button", name="Save and score").click()
    expect(page.get_by_role("alert")).to_contain_text("Reading: is missing")
    page.get_by_label("Reading", exact=True).select_option("2")
    page.get_by_role("button", name="Save and score").click()
    expect(page.get_by_text(re.compile(r"TWSTRS saved: total \d+"))).to_be_visible()

    # Injection session: copy the last plan, today is too early, acknowledge with a reason.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").nth(1).click()
    page.get_by_role("link", name="Record injection session").click()
    page.get_by_role("link", name=re.compile("Copy last session")).click()
    page.get_by_role("button", name="Check and save session").click()
    warning = page.get_by_role("alert").filter(has_text="Check before saving")
    expect(warning).to_contain_text(re.compile(r"Only \d+ days since the last toxin session"))
    page.get_by_label("Reason for going ahead despite the warnings").fill(
        "Effect wore off at week 7; risks discussed"
    )
    page.get_by_role("button", name="Check and save session").click()
    expect(page.get_by_text(re.compile(r"Injection session saved: \d+ units"))).to_be_visible()
    expect(page.get_by_role("heading", name="Warnings acknowledged")).to_be_visible()
    expect(page.get_by_text("Effect wore off at week 7; risks discussed")).to_be_visible()
    expect(
        page.get_by_role("img", name="Injected muscles, schematic view from behind")
    ).to_be_visible()


def test_patient_logs_a_diary_entry_and_sees_the_chart(page: Page, site, sign_in):
    sign_in(site, "patient", "collis-patient-demo")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Hello, "))
    page.get_by_role("link", name="Log how you feel today").click()
    page.get_by_role("group", name=re.compile("pulling or turning")).get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("How much pain")).get_by_label(
        "1", exact=True
    ).check()
    page.get_by_label("Note").fill("Good day after the injection")
    page.get_by_role("button", name="Save my entry").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My charts")
    expect(page.get_by_text("Thank you: your diary entry is saved.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Symptom diary"))).to_be_visible()
    page.get_by_text("Show the numbers as a table").first.click()
    expect(page.get_by_role("table").first).to_be_visible()

    page.get_by_role("link", name="My diary").click()
    expect(page.get_by_role("cell", name="Good day after the injection")).to_be_visible()


def test_patient_cannot_open_the_clinic(page: Page, site, sign_in):
    sign_in(site, "patient", "collis-patient-demo")
    response = page.goto(site.url + "/clinic/patients/")
    assert response.status == 403


# Rendered size of every visible chart label, in CSS pixels (font size × the SVG's scale).
_CHART_LABEL_PX = """() => [...document.querySelectorAll('svg.chart text')]
  .filter((t) => t.getClientRects().length > 0)
  .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"""


def test_chart_labels_stay_readable_on_a_phone_a_tablet_and_a_wide_screen(
    page: Page, site, sign_in
):
    """Chart labels scale with the chart: before, a full-width chart on a 1366-px screen drew
    26-px labels and a half-width one in a 900-px window 8-px labels."""
    sign_in(site, "dr.maya-okafor", "collis-clinician-demo")
    page.get_by_label("Name or MRN").fill("DEMO-0001")
    page.get_by_role("button", name="Find patient").click()
    page.get_by_role("table").get_by_role("link").first.click()
    from collis.recordings.models import PostureRecording

    recording = PostureRecording.objects.filter(patient__mrn="DEMO-0001").first()
    assert recording is not None  # the demo's analyses, charted across visits
    for url in (page.url, f"{site.url}/clinic/recordings/{recording.pk}/"):
        for width in (390, 900, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            sizes = page.evaluate(_CHART_LABEL_PX)
            assert sizes, (url, width)
            assert min(sizes) >= 10.0 and max(sizes) <= 17.0, (url, width, min(sizes), max(sizes))
