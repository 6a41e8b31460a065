import pytest
from django.urls import reverse

from collis.providers.models import Clinician

pytestmark = pytest.mark.django_db


def test_directory_lists_active_clinicians(client, demo_data):
    html = client.get(reverse("providers:clinician-list")).content.decode()
    assert "6 specialists found" in html
    assert "Dr. Lucas Brennan" in html


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("specialty=physiatry", "Dr. Rafael Soto", "Dr. Maya Okafor"),
        ("location=downtown", "Priya Nair", "Tom Becker"),
        ("new_patients=on", "Dr. Maya Okafor", "Dr. Hannah Lindqvist"),
    ],
)
def test_directory_filters(client, demo_data, query, expected, absent):
    html = client.get(reverse("providers:clinician-list") + "?" + query).content.decode()
    assert expected in html
    assert absent not in html


def test_unknown_filter_value_is_ignored_not_an_error(client, demo_data):
    response = client.get(
        reverse("providers:clinician-list") + "?specialty=nope&location=%3Cscript%3E"
    )
    assert response.status_code == 200


def test_directory_query_count_is_flat(client, demo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get(reverse("providers:clinician-list"))


def test_detail_shows_profile_languages_and_book_link(client, demo_data):
    html = client.get(
        reverse("providers:clinician-detail", args=["dr-lucas-brennan"])
    ).content.decode()
    assert "Physiatrist" in html
    assert "Spanish" in html
    assert "Book with Dr. Lucas Brennan" in html
    assert "Downtown Clinic" in html and "North Campus" in html


def test_inactive_clinician_is_not_found(client, demo_data):
    Clinician.objects.filter(slug="dr-lucas-brennan").update(is_active=False)
    assert (
        client.get(reverse("providers:clinician-detail", args=["dr-lucas-brennan"])).status_code
        == 404
    )
