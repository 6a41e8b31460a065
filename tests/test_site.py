import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_clinic_locations_hours_and_phone(client, demo_data):
    html = client.get(reverse("home")).content.decode()
    assert "Lakeshore Dystonia Center" in html
    assert "Downtown Clinic" in html and "North Campus" in html
    assert "(312) 555-0142" in html
    assert "Monday" in html and "8:00 AM" in html
    assert 'href="#main"' in html  # skip link for keyboard users


def test_home_without_data_has_clear_empty_states(client):
    html = client.get(reverse("home")).content.decode()
    assert "No locations are listed yet" in html


def test_search_finds_pages_and_providers(client, demo_data):
    html = client.get(reverse("search"), {"q": "tremor"}).content.decode()
    assert "Cervical dystonia (spasmodic torticollis)" in html
    assert "Dr. Hannah Lindqvist" in html


def test_search_escapes_the_query(client, demo_data):
    html = client.get(reverse("search"), {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_unknown_url_gets_styled_404(client, demo_data, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert "Lakeshore Dystonia Center" in html  # the site's own layout, not Django's default


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_site_stylesheet_is_found_by_staticfiles():
    from django.contrib.staticfiles import finders

    assert finders.find("collis/site.css")


def test_search_stems_and_matches_words_not_phrases(client, demo_data):
    """Defect 13: "dystonia exercises" finds the exercise page; "physical therapist" finds
    therapists; languages are searchable."""
    html = client.get(reverse("search"), {"q": "dystonia exercises"}).content.decode()
    assert "No page mentions" not in html
    assert "Cervical dystonia (spasmodic torticollis)" in html
    html = client.get(reverse("search"), {"q": "exercising with heat"}).content.decode()
    assert "Home exercises, heat and massage" in html
    html = client.get(reverse("search"), {"q": "physical therapist"}).content.decode()
    assert "Tom Becker" in html
    html = client.get(reverse("search"), {"q": "Portuguese"}).content.decode()
    assert "Dr. Rafael Soto" in html
    html = client.get(reverse("search"), {"q": "injections"}).content.decode()
    assert "Botulinum" in html  # "injections" stems to "injection"


def test_no_template_has_inline_style_or_script():
    """Issue #11 defect 15: the CSP blocks inline style= attributes and <script> bodies."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src" / "collis"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if re.search(r"\sstyle=|<script>|<script\s+(?![^>]*\bsrc=)", path.read_text())
    ]
    assert not offenders, offenders
