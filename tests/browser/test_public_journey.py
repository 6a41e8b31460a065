"""A patient learns about cervical dystonia and finds a specialist, with links and the keyboard."""

import re

from playwright.sync_api import Page, expect


def test_home_condition_directory_provider(page: Page, site):
    page.goto(site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lakeshore Dystonia Center")

    page.get_by_role("link", name="What is cervical dystonia?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cervical dystonia (spasmodic torticollis)"
    )
    expect(page.get_by_role("heading", name="How it is diagnosed")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Our specialists").click()
    expect(page).to_have_url(re.compile(r"/providers/$"))
    page.get_by_label("Specialty").select_option(label="Physiatry (PM&R)")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("2 specialists found")).to_be_visible()

    page.get_by_role("link", name="Dr. Rafael Soto, MD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dr. Rafael Soto, MD")
    expect(page.get_by_text("Portuguese")).to_be_visible()


def test_skip_link_is_first_in_tab_order(page: Page, site):
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"


def test_unknown_url_shows_styled_404(page: Page, site):
    response = page.goto(site.url + "/this/does/not/exist/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
