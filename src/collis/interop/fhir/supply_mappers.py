"""Pure mappers of toxin supply to FHIR R4: Medication (a lot), Coverage + ClaimResponse (a prior
authorisation). Plain objects in, validated JSON out (no Django imports).

Why Coverage + ClaimResponse for a prior authorisation: FHIR R4 models a payer's decision on a
pre-authorisation request as a ClaimResponse with ``use = preauthorization`` (ClaimResponse.use,
``preAuthRef`` = the authorisation number, ``preAuthPeriod`` = its validity), pointing at the
patient's Coverage (payer and beneficiary) through ``insurance.coverage``. That is the standard
pair (the Da Vinci prior-authorisation guides build on it), so no local extension is needed. The
approved units per session and number of sessions are item adjudications (non-monetary
``value``) with local category codes; the diagnosis and procedure codes travel as the item's
``productOrService`` (CPT) and a note with the ICD-10-CM code (ClaimResponse has no diagnosis
element; the Claim it answers would, and Collis keeps no Claim).
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.claimresponse import ClaimResponse
from fhir.resources.R4B.coverage import Coverage
from fhir.resources.R4B.medication import Medication

from collis.interop.fhir.mappers import iso, reference, validated

NDC_SYSTEM = "http://hl7.org/fhir/sid/ndc"
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
ADJUDICATION_SYSTEM = "urn:collis:adjudication"
PAYER_SYSTEM = "urn:collis:payer"


def medication(lot: Any, ndc: str | None = None) -> dict[str, Any]:
    """One lot of a toxin product: brand and generic name, NDC when known, lot and expiry."""
    product = lot.product
    coding = [{"system": NDC_SYSTEM, "code": ndc}] if ndc else None
    data = {
        "resourceType": "Medication",
        "id": str(lot.pk),
        "status": "active",
        "code": {"coding": coding, "text": f"{product.brand} ({product.generic_name})"},
        "amount": {
            "numerator": {"value": lot.vial_size_units, "unit": product.unit_label},
            "denominator": {"value": 1, "unit": "vial"},
        },
        "batch": {"lotNumber": lot.lot_number, "expirationDate": iso(lot.expires_on)},
    }
    return validated(Medication, data)


def coverage(auth: Any) -> dict[str, Any]:
    """The patient's cover with the authorisation's payer (one per authorisation)."""
    data = {
        "resourceType": "Coverage",
        "id": str(auth.pk),
        "status": "active",
        "beneficiary": reference("Patient", auth.patient_id),
        "payor": [
            {"display": auth.payer, "identifier": {"system": PAYER_SYSTEM, "value": auth.payer}}
        ],
        "period": {"start": iso(auth.valid_from), "end": iso(auth.valid_to)},
    }
    return validated(Coverage, data)


def _adjudication(code: str, display: str, value: int) -> dict[str, Any]:
    return {
        "category": {"coding": [{"system": ADJUDICATION_SYSTEM, "code": code, "display": display}]},
        "value": value,
    }


def claim_response(auth: Any, sessions_used: int) -> dict[str, Any]:
    """The payer's pre-authorisation decision: number, validity, approved units and sessions."""
    product = auth.product
    data = {
        "resourceType": "ClaimResponse",
        "id": str(auth.pk),
        "status": "active",
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "professional"}]},
        "use": "preauthorization",
        "patient": reference("Patient", auth.patient_id),
        "created": auth.created_at.isoformat(),
        "insurer": {"display": auth.payer},
        "outcome": "complete",
        "preAuthRef": auth.number,
        "preAuthPeriod": {"start": iso(auth.valid_from), "end": iso(auth.valid_to)},
        "insurance": [{"sequence": 1, "focal": True, "coverage": reference("Coverage", auth.pk)}],
        "addItem": [
            {
                "productOrService": {
                    "coding": [{"system": CPT_SYSTEM, "code": auth.procedure_code}],
                    "text": f"{product.brand} ({product.generic_name}) chemodenervation",
                },
                "adjudication": [
                    _adjudication(
                        "units-per-session",
                        f"Approved {product.unit_label} per session",
                        auth.units_per_session,
                    ),
                    _adjudication("sessions", "Sessions approved", auth.sessions_approved),
                    _adjudication("sessions-used", "Sessions used", sessions_used),
                ],
            }
        ],
        "processNote": [
            {
                "text": f"Diagnosis ICD-10-CM {auth.diagnosis_code}"
                + (f"; {auth.note}" if auth.note else "")
            }
        ],
    }
    return validated(ClaimResponse, data)
