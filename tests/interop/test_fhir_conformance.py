"""Conformance defects of issue #15, each checked through the REST API.

Token search honours the system; date search has FHIR's precision and prefixes; unknown
parameters are ignored unless ``Prefer: handling=strict``; resources carry versions (ETag,
vread, _history, conditional read); every error is an OperationOutcome.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from jstools import r4_errors

from collis.patients.models import Patient
from collis.scales.models import Assessment
from collis.scheduling.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(demo_data, clinician_user, bearer):
    return bearer(clinician_user, "*.read")


def ids(bundle: dict, kind: str = "Patient") -> set[str]:
    return {
        e["resource"]["id"]
        for e in bundle.get("entry", [])
        if e["resource"]["resourceType"] == kind and e["search"]["mode"] == "match"
    }


def patient_ids(queryset) -> set[str]:
    return {str(pk) for pk in queryset.values_list("pk", flat=True)}


# --- 2. token search --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("DEMO-0002", True),
        ("urn:collis:mrn|DEMO-0002", True),
        ("http://hospital.example/mrn|DEMO-0002", False),
        ("|DEMO-0002", False),  # |code: only identifiers without a system
    ],
)
def test_identifier_token_search_honours_the_system(client, auth, value, found):
    bundle = client.get("/fhir/Patient", {"identifier": value}, **auth).json()
    expected = patient_ids(Patient.objects.filter(mrn="DEMO-0002")) if found else set()
    assert ids(bundle) == expected


def test_system_only_token_matches_every_code_of_that_system(client, auth):
    bundle = client.get("/fhir/Patient", {"identifier": "urn:collis:mrn|", "_count": 100}, **auth)
    assert bundle.json()["total"] == Patient.objects.count()


def test_other_tokens_honour_their_systems(client, auth):
    scale = "urn:collis:observation|twstrs-total"
    right = client.get("/fhir/Observation", {"code": scale}, **auth).json()
    assert right["total"] == Assessment.objects.filter(status="complete", scale="twstrs").count()
    wrong = client.get("/fhir/Observation", {"code": "http://loinc.org|twstrs-total"}, **auth)
    assert wrong.json()["total"] == 0
    status = "http://hl7.org/fhir/appointmentstatus|booked"
    booked = client.get("/fhir/Appointment", {"status": status}, **auth).json()
    assert booked["total"] == Appointment.objects.filter(status="confirmed").count()


# --- 3. dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lookup"),
    [
        ("ge1990-01-01", {"birth_date__gte": date(1990, 1, 1)}),
        ("gt1990-01-01", {"birth_date__gt": date(1990, 1, 1)}),
        ("lt1970-06-15", {"birth_date__lt": date(1970, 6, 15)}),
        ("le1970-06-15", {"birth_date__lte": date(1970, 6, 15)}),
        ("sa1980-12-31", {"birth_date__gt": date(1980, 12, 31)}),
        ("eb1980-01-01", {"birth_date__lt": date(1980, 1, 1)}),
    ],
)
def test_birthdate_prefixes(client, auth, value, lookup):
    bundle = client.get("/fhir/Patient", {"birthdate": value, "_count": 100}, **auth).json()
    assert ids(bundle) == patient_ids(Patient.objects.filter(**lookup))


def test_partial_dates_cover_their_year_and_month(client, auth):
    someone = Patient.objects.exclude(birth_date=None).order_by("pk").first()
    born = someone.birth_date
    year = client.get("/fhir/Patient", {"birthdate": f"{born:%Y}", "_count": 100}, **auth).json()
    assert ids(year) == patient_ids(Patient.objects.filter(birth_date__year=born.year))
    month = client.get("/fhir/Patient", {"birthdate": f"{born:%Y-%m}"}, **auth).json()
    assert ids(month) == patient_ids(
        Patient.objects.filter(birth_date__year=born.year, birth_date__month=born.month)
    )
    other = client.get("/fhir/Patient", {"birthdate": f"ne{born:%Y}", "_count": 100}, **auth)
    assert ids(other.json()) == patient_ids(Patient.objects.exclude(birth_date__year=born.year))


def test_every_date_parameter_takes_partial_dates_and_prefixes(client, auth):
    this_year = f"{timezone.localdate():%Y}"
    for url, param in [
        ("/fhir/Appointment", "date"),
        ("/fhir/Observation", "date"),
        ("/fhir/Procedure", "date"),
        ("/fhir/MedicationAdministration", "effective-time"),
        ("/fhir/Slot", "start"),
    ]:
        for value in (this_year, f"ge{this_year}", f"le{this_year}-12", f"gt{this_year}-01-01"):
            response = client.get(url, {param: value}, **auth)
            assert response.status_code == 200, (url, value, response.content)
    appointments = client.get("/fhir/Appointment", {"date": this_year, "_count": 100}, **auth)
    zone_year = int(this_year)
    expected = [
        a for a in Appointment.objects.all() if timezone.localtime(a.start).year == zone_year
    ]
    assert appointments.json()["total"] == len(expected)


# --- 4. lenient and strict, result parameters --------------------------------------------------


def test_unknown_parameters_are_ignored_unless_strict(client, auth):
    lenient = client.get("/fhir/Patient", {"_totalMethod": "count", "shoe_size": "9"}, **auth)
    assert lenient.status_code == 200
    assert lenient.json()["total"] == Patient.objects.count()
    self_link = lenient.json()["link"][0]["url"]
    assert "shoe_size" not in self_link and "_totalMethod" not in self_link
    strict = client.get("/fhir/Patient", {"shoe_size": "9"}, HTTP_PREFER="handling=strict", **auth)
    assert strict.status_code == 400
    assert strict.json()["resourceType"] == "OperationOutcome"
    assert "shoe_size" in strict.json()["issue"][0]["diagnostics"]


def test_id_gender_sort_summary_and_total(client, auth):
    two = list(Patient.objects.order_by("pk")[:2])
    by_id = client.get("/fhir/Patient", {"_id": f"{two[0].pk},{two[1].pk}"}, **auth).json()
    assert ids(by_id) == {str(p.pk) for p in two}
    women = client.get("/fhir/Patient", {"gender": "female", "_count": 100}, **auth).json()
    assert ids(women) == patient_ids(Patient.objects.filter(sex="female"))
    coded = "http://hl7.org/fhir/administrative-gender|female"
    assert client.get("/fhir/Patient", {"gender": coded}, **auth).json()["total"] == len(ids(women))
    newest = client.get("/fhir/Patient", {"_sort": "-birthdate", "_count": 100}, **auth).json()
    births = [e["resource"].get("birthDate") for e in newest["entry"]]
    dated = [b for b in births if b]
    assert dated == sorted(dated, reverse=True)
    count = client.get("/fhir/Patient", {"_summary": "count"}, **auth).json()
    assert count["total"] == Patient.objects.count() and "entry" not in count
    total = client.get("/fhir/Patient", {"_total": "accurate", "_count": 1}, **auth).json()
    assert total["total"] == Patient.objects.count() and len(total["entry"]) == 1


def test_sort_by_date_across_observation_tables(client, auth):
    bundle = client.get("/fhir/Observation", {"_sort": "-date", "_count": 100}, **auth).json()
    dates = [e["resource"]["effectiveDateTime"][:10] for e in bundle["entry"]]
    assert dates == sorted(dates, reverse=True)


def test_include_and_revinclude(client, auth):
    appointment = Appointment.objects.order_by("pk").first()
    bundle = client.get(
        "/fhir/Appointment",
        {"_id": appointment.pk, "_include": ["Appointment:patient", "Appointment:practitioner"]},
        **auth,
    ).json()
    included = {
        (e["resource"]["resourceType"], e["resource"]["id"])
        for e in bundle["entry"]
        if e["search"]["mode"] == "include"
    }
    assert included == {
        ("Patient", str(appointment.patient_id)),
        ("Practitioner", str(appointment.clinician_id)),
    }
    assert bundle["total"] == 1
    scored = Assessment.objects.filter(status="complete").order_by("pk").first()
    rev = client.get(
        "/fhir/Patient",
        {"_id": scored.patient_id, "_revinclude": "Observation:patient"},
        **auth,
    ).json()
    observations = {
        e["resource"]["id"] for e in rev["entry"] if e["resource"]["resourceType"] == "Observation"
    }
    assert f"scale-{scored.pk}" in observations
    assert r4_errors(rev) == []


def test_last_updated_search(client, auth):
    patient = Patient.objects.order_by("pk").first()
    client.get(f"/fhir/Patient/{patient.pk}", **auth)  # first served now: version 1
    today = timezone.localdate()
    found = client.get(
        "/fhir/Patient", {"_lastUpdated": f"ge{today}", "_id": patient.pk}, **auth
    ).json()
    assert ids(found) == {str(patient.pk)}
    tomorrow = today + timedelta(days=1)
    later = client.get("/fhir/Patient", {"_lastUpdated": f"ge{tomorrow}"}, **auth).json()
    assert later["total"] == 0


def test_post_search_takes_a_form_body(client, auth):
    response = client.post(
        "/fhir/Patient/_search",
        "identifier=urn%3Acollis%3Amrn%7CDEMO-0002",
        content_type="application/x-www-form-urlencoded",
        **auth,
    )
    assert response.status_code == 200
    assert ids(response.json()) == patient_ids(Patient.objects.filter(mrn="DEMO-0002"))


# --- 5. versions -------------------------------------------------------------------------------


def test_versions_etag_vread_history_and_conditional_read(client, auth):
    patient = Patient.objects.order_by("pk").first()
    url = f"/fhir/Patient/{patient.pk}"
    first = client.get(url, **auth)
    body = first.json()
    assert body["meta"]["versionId"] == "1"
    assert body["meta"]["lastUpdated"].endswith("Z")
    assert first["ETag"] == 'W/"1"'
    assert first["Last-Modified"].endswith("GMT")
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"1"', **auth).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"], **auth).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"0"', **auth).status_code == 200

    old_family = patient.family_name
    Patient.objects.filter(pk=patient.pk).update(family_name=old_family + "-Changed")
    second = client.get(url, HTTP_IF_NONE_MATCH='W/"1"', **auth)
    assert second.status_code == 200
    assert second.json()["meta"]["versionId"] == "2"
    assert second["ETag"] == 'W/"2"'
    old = client.get(f"{url}/_history/1", **auth).json()
    assert old["name"][0]["family"] == old_family
    assert old["meta"]["versionId"] == "1"
    assert client.get(f"{url}/_history/9", **auth).status_code == 404
    history = client.get(f"{url}/_history", **auth).json()
    assert history["type"] == "history"
    assert [e["resource"]["meta"]["versionId"] for e in history["entry"]] == ["2", "1"]
    assert r4_errors(history) == []


def test_search_entries_carry_versions(client, auth):
    bundle = client.get("/fhir/Appointment", {"_count": 5}, **auth).json()
    assert all(e["resource"]["meta"]["versionId"] for e in bundle["entry"])


# --- 6. errors and formats ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("put", "/fhir/Patient/1"),
        ("delete", "/fhir/Patient/1"),
        ("options", "/fhir/Patient/1"),
        ("put", "/fhir/Patient"),
        ("get", "/fhir/Patient/_search"),
        ("post", "/fhir/metadata"),
        ("post", "/fhir/Patient/1"),
    ],
)
def test_unsupported_methods_are_405_operation_outcomes(client, auth, method, url):
    response = getattr(client, method)(url, **auth)
    assert response.status_code == 405, response.content
    assert response["Content-Type"] == "application/fhir+json"
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "GET" in response["Allow"] or "POST" in response["Allow"]


def test_head_answers_like_get_without_a_body(client, auth):
    patient = Patient.objects.order_by("pk").first()
    response = client.head(f"/fhir/Patient/{patient.pk}", **auth)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("url", ["/fhir/Patient/1/nothing/here", "/fhir/a/b/c/d/e", "/fhir/"])
def test_unknown_paths_are_404_operation_outcomes(client, auth, url):
    response = client.get(url, **auth)
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_xml_is_406_and_json_variants_are_served(client, auth):
    xml = client.get("/fhir/Patient", HTTP_ACCEPT="application/fhir+xml", **auth)
    assert xml.status_code == 406
    assert xml.json()["resourceType"] == "OperationOutcome"
    assert client.get("/fhir/metadata", {"_format": "xml"}).status_code == 406
    assert client.get("/fhir/metadata", {"_format": "json"}).status_code == 200
    accept = "application/fhir+xml;q=1, application/fhir+json;q=0.9"
    assert client.get("/fhir/metadata", HTTP_ACCEPT=accept).status_code == 200
    assert client.get("/fhir/metadata", HTTP_ACCEPT="text/html,*/*;q=0.8").status_code == 200
