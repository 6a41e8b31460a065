"""Cached public fragments (collis.lib.fragments, issue #20): fast for anonymous visitors, never
stale after an edit, never shared with a signed-in user or across languages."""

from __future__ import annotations

import re

import pytest
from collis_testing import sign_in_with_second_factor
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collis.education.models import Page
from collis.providers.models import Clinic, Clinician, Specialty

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/conditions/",
    "/conditions/cervical-dystonia/",
    "/providers/",
    "/providers/dr-lucas-brennan/",
    "/search/?q=tremor",
]


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    settings.PUBLIC_FRAGMENT_CACHE = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the content version bump), as production would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


def get(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def without_token(html: str) -> str:
    """The page less its CSRF token, which is masked afresh on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured)


def test_production_templates_use_the_cached_loader():
    engine = engines["django"].engine
    assert [type(loader).__module__ for loader in engine.template_loaders] == [
        "django.template.loaders.cached"
    ]


@pytest.mark.parametrize("url", PUBLIC)
def test_anonymous_repeat_is_served_from_the_cache_and_identical(client, demo_data, url):
    first = get(client, url)
    cold = queries(client, url)  # the clinic and the fragment come from the cache now
    assert without_token(get(client, url)) == without_token(first)
    assert cold <= 1  # at most the page's own object (a provider, an education page)


def test_off_by_default_without_a_shared_cache(client, demo_data, settings):
    settings.PUBLIC_FRAGMENT_CACHE = False
    get(client, "/")
    assert queries(client, "/") >= 4


def test_editing_a_provider_shows_at_once_everywhere(client, demo_data, commit):
    for url in ("/", "/providers/", "/providers/dr-lucas-brennan/", "/search/?q=tremor"):
        get(client, url)
    lucas = Clinician.objects.get(slug="dr-lucas-brennan")
    lucas.display_name = "Dr. Lucas Brennan-Moreau"

    commit(lucas.save)
    for url in ("/", "/providers/", "/providers/dr-lucas-brennan/"):
        assert "Dr. Lucas Brennan-Moreau" in get(client, url), url


def test_a_many_to_many_change_shows_at_once(client, demo_data, commit):
    get(client, "/providers/dr-lucas-brennan/")
    lucas = Clinician.objects.get(slug="dr-lucas-brennan")
    specialty = Specialty.objects.create(name="Gait disorders", slug="gait-disorders")

    commit(lambda: lucas.specialties.add(specialty))
    assert "Gait disorders" in get(client, "/providers/dr-lucas-brennan/")


def test_editing_an_education_page_shows_at_once(client, demo_data, commit):
    get(client, "/conditions/cervical-dystonia/")
    get(client, "/conditions/")
    page = Page.objects.get(slug="cervical-dystonia")
    page.summary = "A freshly reviewed summary."
    page.body = "A freshly reviewed body."

    commit(page.save)
    assert "A freshly reviewed body." in get(client, "/conditions/cervical-dystonia/")
    assert "A freshly reviewed summary." in get(client, "/conditions/")


def test_editing_the_clinic_shows_at_once(client, demo_data, commit):
    get(client, "/")
    clinic = Clinic.current()
    clinic.phone = "555-0199"

    commit(clinic.save)
    assert "555-0199" in get(client, "/")


def test_signed_in_user_never_gets_an_anonymous_entry(client, demo_data, front_desk):
    anonymous_html = get(client, "/providers/dr-lucas-brennan/")
    # Changed behind the cache's back (no signal): the anonymous entry is now stale, so a
    # signed-in page that came from it would show the old name.
    Clinician.objects.filter(slug="dr-lucas-brennan").update(display_name="Dr. L. Brennan")
    assert "Dr. Lucas Brennan" in get(client, "/providers/dr-lucas-brennan/")

    sign_in_with_second_factor(client, front_desk)
    signed_in = get(client, "/providers/dr-lucas-brennan/")
    assert "Dr. L. Brennan" in signed_in
    assert signed_in != anonymous_html


def test_signed_in_pages_do_not_fill_the_anonymous_cache(client, demo_data, front_desk):
    sign_in_with_second_factor(client, front_desk)
    get(client, "/providers/dr-lucas-brennan/")
    client.logout()
    Clinician.objects.filter(slug="dr-lucas-brennan").update(display_name="Dr. L. Brennan")
    assert "Dr. L. Brennan" in get(client, "/providers/dr-lucas-brennan/")


def test_each_language_has_its_own_entry(client, demo_data):
    english = get(client, "/", HTTP_ACCEPT_LANGUAGE="en")
    spanish = get(client, "/", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish != english
    assert 'lang="es"' in spanish
    assert 'lang="es"' not in english.split("<head>")[0]
    again = get(client, "/", HTTP_ACCEPT_LANGUAGE="en")
    assert without_token(again) == without_token(english)


def test_no_cached_fragment_carries_a_csrf_token(client, demo_data):
    from django.core.cache import cache

    for url in PUBLIC:
        get(client, url)
    entries = [
        value
        for key, value in cache._cache.items()  # noqa: SLF001 - the memory cache's store
        if ":fragment:" in key
    ]
    assert len(entries) >= len(PUBLIC)
    import pickle

    for raw in entries:
        assert "csrfmiddlewaretoken" not in pickle.loads(raw)  # noqa: S301 - our own cache


def test_the_language_form_keeps_a_fresh_csrf_token(client, demo_data):
    client.get("/")
    html = get(client, "/")
    assert 'name="csrfmiddlewaretoken"' in html


def test_cache_outage_renders_uncached(client, demo_data, settings):
    # A Redis nobody listens on (a port of this suite's range): reads miss, writes fail.
    settings.CACHES = {
        "default": {
            "BACKEND": "collis.lib.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:8668/0",
        }
    }
    get(client, "/")
    assert queries(client, "/") >= 4
    assert "Dr. Lucas Brennan" in get(client, reverse("providers:clinician-list"))


def test_navigation_of_a_signed_in_user_is_their_own(client, demo_data, front_desk):
    assert reverse("accounts:login") in get(client, "/")  # anonymous: cached with "Sign in"
    sign_in_with_second_factor(client, front_desk)
    html = get(client, "/")
    assert reverse("accounts:logout") in html
    assert reverse("accounts:home") in html
    assert f'href="{reverse("accounts:login")}"' not in html


def test_navigation_marks_the_section_of_each_address(client, demo_data):
    get(client, "/providers/")
    providers = get(client, "/providers/")
    conditions = get(client, "/conditions/")
    current = 'aria-current="page">'
    assert f'href="/providers/" {current}' in providers
    assert f'href="/conditions/" {current}' in conditions
    assert f'href="/conditions/" {current}' not in providers


def test_an_edit_on_another_server_retires_this_process_copies(client, demo_data):
    """Each process keeps copies of what it read; another server's edit must still show."""
    from django.core.cache import cache

    from collis.lib.fragments import VERSION_KEY

    get(client, "/providers/")
    Clinician.objects.filter(slug="dr-lucas-brennan").update(display_name="Dr. L. Brennan")
    cache.set(VERSION_KEY, "bumped-by-another-server", timeout=None)  # what its edit does
    assert "Dr. L. Brennan" in get(client, "/providers/")
