"""Supply in the browser, on a 390-px phone: the manager's stock and lot pages, then a vial
opened by a clinician; no page scrolls sideways and the CSP blocks nothing."""

import re

from playwright.sync_api import Page, expect


def _fits(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_manager_and_clinician_supply_pages_on_a_phone(page: Page, site, sign_in):
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(site, "admin", "collis-admin-demo")
    page.goto(site.url + "/supply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toxin stock")
    assert _fits(page)
    page.get_by_role("link", name=re.compile(r"Botox \d+ U · BOT")).first.click()
    expect(page.get_by_text("✓ balances")).to_be_visible()
    assert _fits(page)
    page.get_by_role("link", name="Patients injected from this lot").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert _fits(page)
    for path in ("/supply/reports/", "/supply/authorisations/", "/supply/claims/"):
        page.goto(site.url + path)
        assert _fits(page), path

    page.context.clear_cookies()
    sign_in(site, "dr.maya-okafor", "collis-clinician-demo")
    page.goto(site.url + "/supply/vials/open/")
    page.get_by_label("Lot").select_option(index=1)
    page.get_by_label("Location").select_option(index=1)
    page.get_by_label("Diluent (mL)").fill("2")
    page.get_by_role("button", name="Open vial").click()
    expect(page.get_by_text(re.compile(r"opened; use before \d{4}-\d{2}-\d{2}"))).to_be_visible()
    expect(page.get_by_role("button", name="Close and discard the rest")).to_be_visible()
    assert _fits(page)
    assert not violations, violations
