"""An independent client, fhirpy, searches and pages the live server (issue #15, item 4)."""

from __future__ import annotations

import pytest
from fhirpy import SyncFHIRClient

from collis.interop.actions import issue_api_token
from collis.patients.models import Patient
from collis.scheduling.models import Appointment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fhir(live_server, clinician_user):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    _, raw = issue_api_token(clinician_user, "fhirpy", ["*.read"])
    return SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Bearer {raw}")


def test_fhirpy_searches_pages_and_counts(fhir):
    patients = fhir.resources("Patient")
    assert patients.count() == Patient.objects.count()  # fhirpy adds _totalMethod: lenient
    every = patients.limit(7).fetch_all()  # follows the next links, 7 per page
    assert sorted(p.id for p in every) == sorted(
        str(pk) for pk in Patient.objects.values_list("pk", flat=True)
    )
    first_page = patients.limit(7).fetch()
    assert len(first_page) == 7

    two = fhir.resources("Patient").search(identifier="urn:collis:mrn|DEMO-0002").fetch()
    assert [p["identifier"][0]["value"] for p in two] == ["DEMO-0002"]
    assert (
        fhir.resources("Patient").search(identifier="http://other.example|DEMO-0002").fetch() == []
    )

    born = fhir.resources("Patient").search(birthdate__ge="1990-01-01").fetch_all()
    assert {p.id for p in born} == {
        str(pk)
        for pk in Patient.objects.filter(birth_date__gte="1990-01-01").values_list("pk", flat=True)
    }

    booked = fhir.resources("Appointment").search(status="booked").sort("-date").limit(50)
    starts = [a["start"] for a in booked.fetch_all()]
    assert len(starts) == Appointment.objects.filter(status="confirmed").count()
    assert starts == sorted(starts, reverse=True)

    one = fhir.resources("Patient").search(_id=str(Patient.objects.order_by("pk").first().pk))
    patient = one.first()
    assert patient["meta"]["versionId"] == "1"
    encounters = fhir.resources("Encounter").search(patient=patient.reference).fetch_all()
    assert all(e["subject"]["reference"] == patient.reference for e in encounters)
