"""FHIR for supply: Medication with lot and expiry referenced from MedicationAdministration;
a prior authorisation as a Coverage + ClaimResponse pair."""

from __future__ import annotations

from datetime import date

import pytest
from fhir.resources.R4B.claimresponse import ClaimResponse
from fhir.resources.R4B.medication import Medication

from collis.injections.actions import record_injection_session
from collis.injections.dosing import PlannedInjection, Side
from collis.supply import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorisation(administrator, patient):
    from collis.injections.models import ToxinProduct

    return actions.record_authorisation(
        None,
        actor=administrator,
        patient=patient,
        payer="Acme Health",
        number="PA-77",
        product=ToxinProduct.objects.get(code="incobotulinumtoxinA"),
        units_per_session=200,
        sessions_approved=4,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )


def test_medication_administration_references_the_lot_as_medication(
    client, bearer, clinician_user, clinician, patient, xeomin_lot
):
    session = record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=xeomin_lot,
        units_product=xeomin_lot.product.code,
        injected_on=date(2026, 1, 5),
        dilution_units_per_ml=50,
        clinician=clinician,
        injections=[PlannedInjection("splenius_capitis", Side.LEFT, 60)],
    )
    auth = bearer(clinician_user)
    injection = session.injections.get()
    given = client.get(f"/fhir/MedicationAdministration/{injection.pk}", **auth).json()
    assert given["medicationReference"]["reference"] == f"Medication/{xeomin_lot.pk}"
    body = client.get(f"/fhir/Medication/{xeomin_lot.pk}", **auth).json()
    medication = Medication.model_validate(body)
    assert medication.batch.lotNumber == "XEO-T1"
    assert body["batch"]["expirationDate"] == "2099-01-01"


def test_authorisation_is_a_claim_response_for_preauthorization_with_its_coverage(
    client, bearer, clinician_user, authorisation
):
    auth = bearer(clinician_user)
    body = client.get(f"/fhir/ClaimResponse/{authorisation.pk}", **auth).json()
    response = ClaimResponse.model_validate(body)
    assert (response.use, response.preAuthRef) == ("preauthorization", "PA-77")
    assert body["insurance"][0]["coverage"]["reference"] == f"Coverage/{authorisation.pk}"
    values = {
        a["category"]["coding"][0]["code"]: a["value"] for a in body["addItem"][0]["adjudication"]
    }
    assert values == {"units-per-session": 200, "sessions": 4, "sessions-used": 0}
    coverage = client.get(f"/fhir/Coverage/{authorisation.pk}", **auth).json()
    assert coverage["payor"][0]["display"] == "Acme Health"


def test_front_desk_reads_authorisations_and_patients_only_their_own(
    client, bearer, front_desk, patient_user, other_patient, authorisation
):
    assert (
        client.get(f"/fhir/ClaimResponse/{authorisation.pk}", **bearer(front_desk)).status_code
        == 200
    )
    assert (
        client.get(f"/fhir/ClaimResponse/{authorisation.pk}", **bearer(patient_user)).status_code
        == 200
    )
    assert (
        client.get(
            f"/fhir/ClaimResponse/{authorisation.pk}", **bearer(other_patient.user)
        ).status_code
        == 404
    )
