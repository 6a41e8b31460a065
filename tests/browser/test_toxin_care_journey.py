"""Toxin care on a 390-px phone: a patient reports breathing trouble and is told to call 911;
the clinician's response and triage pages fit the screen; the CSP blocks nothing."""

import re

from playwright.sync_api import Page, expect


def _fits(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_patient_reports_breathing_trouble_and_clinician_sees_it_first(page: Page, site, sign_in):
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(site, "patient", "collis-patient-demo")
    page.get_by_role("link", name="Tell us about a problem since your injection").click()
    expect(page.get_by_role("alert")).to_contain_text("Call emergency services (911 in the US) now")
    assert _fits(page)
    page.get_by_label("Trouble breathing or shortness of breath").check()
    page.get_by_role("button", name="Send to my clinic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call emergency services now")
    assert _fits(page)

    page.context.clear_cookies()
    sign_in(site, "dr.maya-okafor", "collis-clinician-demo")
    page.get_by_role("link", name="Side effects reported by patients").click()
    first = page.get_by_role("row").nth(1)
    expect(first).to_contain_text("Emergency")
    expect(first).to_contain_text("Breathing difficulty")
    first.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Side-effect report")
    assert _fits(page)

    page.goto(site.url + "/clinic/patients/")
    page.get_by_label("Name or MRN").fill("DEMO-0002")
    page.get_by_role("button", name="Find patient").click()
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("link", name="Toxin response and antibodies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Response to toxin, cycle by cycle")
    expect(page.get_by_role("img", name=re.compile("Dose per muscle"))).to_be_visible()
    assert _fits(page)
    page.go_back()
    page.get_by_role("link", name="Record injection session").click()
    page.get_by_role("link", name=re.compile("Copy last session")).click()
    expect(page.get_by_role("group", name="Before the injection: screening")).to_be_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + "
        "(e.id || e.getAttribute('name') || '') + ' ' + "
        "Math.round(e.getBoundingClientRect().right))"
    )
    assert _fits(page), wide
    assert not violations, violations
