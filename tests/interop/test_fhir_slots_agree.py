"""FHIR Slot search and the booking API list the same free slots: both ask scheduling's
``availability.free_slots``, so a FHIR client and the booking page cannot disagree."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from collis.providers.models import Clinician, Location
from collis.scheduling import actions
from collis.scheduling.models import TimeOff, WeeklyHours

from ..scheduling.conftest import make_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db):
    return make_clinic()


def api_slots(client, day, **query) -> set[tuple[datetime, int, int]]:
    response = client.get(
        "/api/scheduling/slots",
        {"appointment_type": "injection-follow-up", "date_from": day, "date_to": day, **query},
    )
    assert response.status_code == 200, response.content
    ids = {c.slug: c.pk for c in Clinician.objects.all()}
    places = {loc.slug: loc.pk for loc in Location.objects.all()}
    return {
        (
            datetime.fromisoformat(s["start"]).astimezone(UTC),
            ids[s["clinician"]],
            places[s["location"]],
        )
        for s in response.json()
    }


def fhir_slots(client, auth, day, **query) -> set[tuple[datetime, int, int]]:
    bundle = client.get(
        "/fhir/Slot",
        {
            "service-type": "injection-follow-up",
            "start": [f"ge{day}", f"lt{day + timedelta(days=1)}"],
            "_count": 200,
            **query,
        },
        **auth,
    ).json()
    found = set()
    for entry in bundle.get("entry", []):
        clinician, _type, place, start = entry["resource"]["id"].split("-")
        found.add(
            (
                datetime.strptime(start, "%Y%m%dT%H%M").replace(tzinfo=UTC),
                int(clinician),
                int(place),
            )
        )
    return found


def test_fhir_slot_search_and_booking_api_agree_on_a_busy_day(client, clinic, bearer, front_desk):
    """A booking, a clinician's afternoon off and the lunch break: the same free slots in both."""
    day = clinic.monday
    actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(day, 10),
        clinician=clinic.okafor,
        contact=actions.Contact("Ada", "Lovelace", "ada@example.org"),
    )
    TimeOff.objects.create(
        clinician=clinic.brennan, starts_at=clinic.at(day, 14), ends_at=clinic.at(day, 17)
    )
    auth = bearer(front_desk, "Slot.read")
    from_api = api_slots(client, day)
    assert len(from_api) > 20  # two clinicians, a full day: not a vacuous match
    assert fhir_slots(client, auth, day) == from_api
    okafor = fhir_slots(client, auth, day, practitioner=f"Practitioner/{clinic.okafor.pk}")
    assert okafor == api_slots(client, day, clinician="dr-okafor")
    assert clinic.at(day, 10).astimezone(UTC) not in {start for start, _, _ in okafor}


def test_a_clinician_who_does_not_offer_the_type_has_no_slots_for_it(
    client, clinic, bearer, front_desk
):
    """Asking for one clinician's times of a type they do not offer lists none: FHIR, the
    booking API and the booking page alike."""
    other = Clinician.objects.create(display_name="Dr. Ida Other", slug="dr-other")
    for weekday in range(5):
        WeeklyHours.objects.create(
            clinician=other, location=clinic.location, weekday=weekday, start=time(9), end=time(17)
        )
    auth = bearer(front_desk, "Slot.read")
    day = clinic.monday
    assert fhir_slots(client, auth, day, practitioner=f"Practitioner/{other.pk}") == set()
    assert api_slots(client, day, clinician="dr-other") == set()
    page = client.get(
        "/book/slots/",
        {"type": "injection-follow-up", "clinician": "dr-other", "from": day.isoformat()},
    ).content.decode()
    assert "/book/details/" not in page
