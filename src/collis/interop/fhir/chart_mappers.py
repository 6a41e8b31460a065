"""Pure mappers for the chart's frame: the visit as Encounter, the diagnosis as Condition.

US Core 3.1.1 (the R4 release) profiles are declared in ``meta.profile`` only where the resource
carries what the profile requires: Patient, Practitioner (see ``mappers``), Encounter,
Condition. No US Core Observation profile is claimed: the TWSTRS/Tsui and posture codes are
local (no LOINC code exists), which the US Core observation profiles do not allow.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.encounter import Encounter

from collis.interop.fhir import codes
from collis.interop.fhir.mappers import iso, local_time, reference, validated

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
VISIT_KIND_SYSTEM = "urn:collis:visit-kind"  # codes: patients.Visit.Kind values
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
# Diagnosis texts that name cervical dystonia, so SNOMED CT 4925003 is the right code.
CERVICAL_DYSTONIA_NAMES = {"cervical dystonia", "spasmodic torticollis", "torticollis"}


def encounter(
    visit: Any,
    kind_label: str,
    practitioner: Any,
    zone: tzinfo,
    condition_id: int | None = None,
) -> dict[str, Any]:
    """A visit: ambulatory (or virtual, for telehealth), finished, with its clinician."""
    virtual = visit.kind == "telehealth"
    data = {
        "resourceType": "Encounter",
        "id": str(visit.pk),
        "meta": {"profile": [f"{US_CORE}us-core-encounter"]},
        "status": "finished",
        "class": {
            "system": ACT_CODE,
            "code": "VR" if virtual else "AMB",
            "display": "virtual" if virtual else "ambulatory",
        },
        "type": [
            {
                "coding": [
                    {"system": VISIT_KIND_SYSTEM, "code": visit.kind, "display": kind_label}
                ],
                "text": kind_label,
            }
        ],
        "subject": reference("Patient", visit.patient_id),
        "participant": [
            {"individual": reference("Practitioner", practitioner.pk, practitioner.display_name)}
        ],
        "appointment": [reference("Appointment", visit.appointment_id)]
        if visit.appointment_id
        else None,
        "period": {"start": local_time(visit.occurred_at, zone)},
        "reasonReference": [reference("Condition", condition_id)] if condition_id else None,
    }
    return validated(Encounter, data)


def condition(diagnosis: Any, clinician: Any | None) -> dict[str, Any]:
    """The patient's diagnosis; SNOMED CT 4925003 when it is cervical dystonia."""
    text = diagnosis.condition or "Cervical dystonia"
    coding = [codes.CERVICAL_DYSTONIA] if text.strip().lower() in CERVICAL_DYSTONIA_NAMES else None
    data = {
        "resourceType": "Condition",
        "id": str(diagnosis.pk),
        "meta": {"profile": [f"{US_CORE}us-core-condition"]},
        "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}]},
        "verificationStatus": {"coding": [{"system": CONDITION_VERIFICATION, "code": "confirmed"}]},
        "category": [
            {
                "coding": [
                    {
                        "system": CONDITION_CATEGORY,
                        "code": "problem-list-item",
                        "display": "Problem List Item",
                    }
                ]
            }
        ],
        "code": {"coding": coding, "text": text},
        "subject": reference("Patient", diagnosis.patient_id),
        "onsetDateTime": iso(diagnosis.onset_date),
        "recorder": reference("Practitioner", clinician.pk, clinician.display_name)
        if clinician is not None
        else None,
    }
    return validated(Condition, data)
