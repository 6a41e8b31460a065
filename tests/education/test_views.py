import pytest
from django.urls import reverse

from collis.education.models import Page

pytestmark = pytest.mark.django_db


def test_condition_page_shows_body_providers_and_booking(client, demo_data):
    response = client.get(reverse("education:page-detail", args=["cervical-dystonia"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Cervical dystonia (spasmodic torticollis)</h1>" in html
    assert "Specialists who treat this" in html
    assert "Dr. Maya Okafor" in html
    assert "Book an appointment" in html


def test_script_in_page_body_is_rendered_inert(client, demo_data):
    Page.objects.create(
        title="Hostile",
        slug="hostile",
        summary="s",
        body="Hello <script>alert('x')</script> <a href=\"javascript:alert(1)\">bad</a>",
    )
    html = client.get(reverse("education:page-detail", args=["hostile"])).content.decode()
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "Hello" in html


def test_unpublished_page_is_not_found(client, demo_data):
    Page.objects.filter(slug="cervical-dystonia").update(is_published=False)
    response = client.get(reverse("education:page-detail", args=["cervical-dystonia"]))
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_page_list_groups_by_kind(client, demo_data):
    html = client.get(reverse("education:page-list")).content.decode()
    assert "Condition" in html and "Treatment" in html and "Self-care" in html


def test_empty_page_list_says_so(client, db):
    assert (
        "No pages have been published yet"
        in client.get(reverse("education:page-list")).content.decode()
    )


def test_edited_page_shows_the_new_text_at_once(client, demo_data):
    url = reverse("education:page-detail", args=["cervical-dystonia"])
    assert "Who gets it" in client.get(url).content.decode()
    page = Page.objects.get(slug="cervical-dystonia")
    page.body = "## Rewritten by staff\n\nNew text."
    page.save()
    html = client.get(url).content.decode()
    assert "Rewritten by staff" in html and "Who gets it" not in html
