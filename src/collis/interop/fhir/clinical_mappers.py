"""Pure mappers of the clinical record to FHIR: scale scores, toxin sessions, per-muscle doses.

Like ``mappers``, these take plain objects (no Django imports) and validate with fhir.resources.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.procedure import Procedure

from collis.interop.fhir import codes
from collis.interop.fhir.mappers import iso, reference, validated

# Scale -> (total code, {subscore key: code}). Subscore keys are those scales.twstrs stores;
# ranges in codes.LOCAL_CODES (TWSTRS 35/30/20, clinical.md §4; Tsui 0-25, §4).
SCALE_CODES: dict[str, tuple[str, dict[str, str]]] = {
    "twstrs": (
        "twstrs-total",
        {
            "severity": "twstrs-severity",
            "disability": "twstrs-disability",
            "pain": "twstrs-pain",
        },
    ),
    "tsui": ("tsui-total", {}),
}


def _score(value: int) -> dict[str, Any]:
    return {"value": value, **codes.SCORE_UNIT}


def scale_observation(fhir_id: str, assessment: Any) -> dict[str, Any]:
    """A complete scale assessment: the total as the value, subscores as components."""
    total_code, subscore_codes = SCALE_CODES[assessment.scale]
    components = [
        {
            "code": {"coding": [codes.local_code(code)], "text": codes.LOCAL_CODES[code]},
            "valueQuantity": _score(assessment.subscores[key]),
        }
        for key, code in subscore_codes.items()
        if key in assessment.subscores
    ]
    data = {
        "resourceType": "Observation",
        "id": fhir_id,
        "status": "final",
        "category": [{"coding": [codes.SURVEY_CATEGORY]}],
        "code": {
            "coding": [codes.local_code(total_code)],
            "text": codes.LOCAL_CODES[total_code],
        },
        "subject": reference("Patient", assessment.patient_id),
        "encounter": _encounter(assessment),
        "effectiveDateTime": iso(assessment.assessed_on),
        "valueQuantity": _score(assessment.total),
        "method": {"text": assessment.scale_version},
        "component": components or None,
    }
    return validated(Observation, data)


# Measured quantities of a posture analysis: (attribute, local code, UCUM unit).
POSTURE_COMPONENTS = (
    ("rotation_deg", "head-rotation", "deg"),
    ("laterocollis_deg", "head-laterocollis", "deg"),
    ("flexion_deg", "head-flexion", "deg"),
    ("shoulder_elevation_deg", "shoulder-elevation", "deg"),
    ("tremor_hz", "head-tremor-frequency", "Hz"),
    ("tremor_amplitude_deg", "head-tremor-amplitude", "deg"),
)


def measured_components(source: Any, fields: tuple[tuple[str, str, str], ...]) -> list[dict]:
    """Observation components for each (attribute, local code, UCUM unit) ``source`` measured;
    an unmeasured quantity (None) is left out rather than sent as zero."""
    return [
        {
            "code": {"coding": [codes.local_code(code)], "text": codes.LOCAL_CODES[code]},
            "valueQuantity": {
                "value": round(float(getattr(source, attribute)), 2),
                "unit": unit,
                "system": codes.UCUM,
                "code": unit,
            },
        }
        for attribute, code, unit in fields
        if getattr(source, attribute) is not None
    ]


def posture_observation(fhir_id: str, recording: Any, effective: Any) -> dict[str, Any]:
    """A finished posture analysis: one Observation, each measured quantity a component.

    Quantities the analysis could not measure (no shoulders in view, a photo has no tremor)
    are left out rather than sent as zero.
    """
    components = measured_components(recording, POSTURE_COMPONENTS)
    data = {
        "resourceType": "Observation",
        "id": fhir_id,
        "status": "final",
        "category": [{"coding": [codes.EXAM_CATEGORY]}],
        "code": {"coding": [codes.local_code("head-posture")], "text": "Head posture"},
        "subject": reference("Patient", recording.patient_id),
        "encounter": _encounter(recording),
        "effectiveDateTime": iso(effective),
        "method": {"text": f"Collis posture analysis of a {recording.kind} (MediaPipe 0.10.14)"},
        "component": components or None,
    }
    return validated(Observation, data)


# A home check-in's resting posture and tremor at rest (the neutral segment): same codes.
CHECKIN_COMPONENTS = (
    ("resting_rotation_deg", "head-rotation", "deg"),
    ("resting_laterocollis_deg", "head-laterocollis", "deg"),
    ("resting_flexion_deg", "head-flexion", "deg"),
    ("tremor_hz", "head-tremor-frequency", "Hz"),
    ("tremor_amplitude_deg", "head-tremor-amplitude", "deg"),
)


def home_checkin_observation(fhir_id: str, checkin: Any) -> dict[str, Any]:
    """A measured home video check-in: the clinic posture code, ``method`` = home video."""
    components = measured_components(checkin, CHECKIN_COMPONENTS)
    data = {
        "resourceType": "Observation",
        "id": fhir_id,
        "status": "final",
        "category": [{"coding": [codes.EXAM_CATEGORY]}],
        "code": {"coding": [codes.local_code("head-posture")], "text": "Head posture"},
        "subject": reference("Patient", checkin.patient_id),
        "effectiveDateTime": iso(checkin.recorded_at),
        "method": {
            "text": f"Home video check-in, resting segment of the guided protocol "
            f"{checkin.protocol_version} (Collis posture analysis, MediaPipe 0.10.14)"
        },
        "note": [{"text": checkin.patient_note}] if checkin.patient_note else None,
        "component": components or None,
    }
    return validated(Observation, data)


def _encounter(record: Any) -> dict[str, str] | None:
    """The visit (Encounter) a record was made at, when it names one."""
    visit_id = getattr(record, "visit_id", None)
    return reference("Encounter", visit_id) if visit_id else None


def toxin_procedure(
    session: Any, performer: Any, condition_id: int | None = None
) -> dict[str, Any]:
    """The injection session; ``performer`` is the visit's clinician."""
    data = {
        "resourceType": "Procedure",
        "id": str(session.pk),
        "status": "completed",
        "code": {"coding": [codes.TOXIN_PROCEDURE], "text": "Botulinum toxin injection"},
        "subject": reference("Patient", session.patient_id),
        "encounter": _encounter(session),
        "reasonReference": [reference("Condition", condition_id)] if condition_id else None,
        "performedDateTime": iso(session.injected_on),
        "performer": [{"actor": reference("Practitioner", performer.pk, performer.display_name)}],
        "reasonCode": [{"coding": [codes.CERVICAL_DYSTONIA], "text": "Cervical dystonia"}],
        "bodySite": [{"text": "Neck and shoulder muscles"}],
        "usedCode": [{"text": f"{session.product.brand} ({session.product.generic_name})"}],
        "note": [{"text": session.notes}] if session.notes else None,
    }
    return validated(Procedure, data)


def muscle_administration(
    injection: Any, session: Any, performer: Any, muscle_name: str, guidance: str
) -> dict[str, Any]:
    """One muscle on one side: the dose in the product's own units (never converted)."""
    product = session.product
    side = injection.side
    dose_text = f"{injection.units} {product.unit_label}"
    data = {
        "resourceType": "MedicationAdministration",
        "id": str(injection.pk),
        "status": "completed",
        # The session's lot as a Medication (lot number and expiry live there).
        "medicationReference": reference(
            "Medication", session.lot_id, f"{product.brand} ({product.generic_name})"
        ),
        "subject": reference("Patient", session.patient_id),
        "effectiveDateTime": iso(session.injected_on),
        "performer": [{"actor": reference("Practitioner", performer.pk, performer.display_name)}],
        "partOf": [reference("Procedure", session.pk)],
        "reasonCode": [{"coding": [codes.CERVICAL_DYSTONIA], "text": "Cervical dystonia"}],
        "dosage": {
            "text": f"{dose_text} into {muscle_name} ({side}), {injection.sites} site(s)",
            "site": {
                "extension": [
                    {
                        "url": codes.LATERALITY_EXTENSION,
                        "valueCodeableConcept": {"coding": [codes.LATERALITY[side]]},
                    }
                ],
                "coding": [
                    {
                        "system": codes.MUSCLE_SYSTEM,
                        "code": injection.muscle,
                        "display": muscle_name,
                    }
                ],
                "text": f"{muscle_name}, {side}",
            },
            "route": {"coding": [codes.INTRAMUSCULAR]},
            "method": {"text": guidance},
            "dose": {
                "value": injection.units,
                "unit": product.unit_label,
                "system": codes.UCUM,
                "code": codes.TOXIN_DOSE_UCUM,
            },
        },
    }
    return validated(MedicationAdministration, data)


def adverse_event(event: Any, session: Any, kind_label: str) -> dict[str, Any]:
    """An adverse event after a toxin session; the session's Procedure is the suspect entity.

    Severe events are sent as "serious" (FHIR R4 seriousness); Collis records no other
    seriousness criterion.
    """
    coded = codes.ADVERSE_EVENT_SNOMED.get(event.kind)
    coding = [{"system": codes.SNOMED, "code": coded[0], "display": coded[1]}] if coded else None
    serious = event.severity == "severe"
    data = {
        "resourceType": "AdverseEvent",
        "id": str(event.pk),
        "actuality": "actual",
        "event": {"coding": coding, "text": kind_label},
        "subject": reference("Patient", session.patient_id),
        "date": iso(session.injected_on),
        "recordedDate": iso(event.reported_on),
        "severity": {"coding": [{"system": codes.ADVERSE_EVENT_SEVERITY, "code": event.severity}]},
        "seriousness": {
            "coding": [
                {
                    "system": codes.ADVERSE_EVENT_SERIOUSNESS,
                    "code": "serious" if serious else "non-serious",
                }
            ]
        },
        "suspectEntity": [{"instance": reference("Procedure", session.pk)}],
    }
    return validated(AdverseEvent, data)


# Outcome measures of a toxin cycle: (attribute, local code). No LOINC code for CGI-C/PGI-C in
# this use or for CDIP-58 was verified, so local codes are used (codes.LOCAL_CODES).
OUTCOME_COMPONENTS = (
    ("cgi_c", "cgi-c"),
    ("pgi_c", "pgi-c"),
    ("pain_nrs_peak", "pain-nrs-peak"),
    ("cdip58_score", "cdip58-total"),
)


def _number(value: Any) -> int | float:
    return value if isinstance(value, int) else float(value)


def outcome_observation(fhir_id: str, outcome: Any, patient_id: int) -> dict[str, Any]:
    """CGI-C, PGI-C, pain NRS at peak and a paper CDIP-58 total of one cycle, as components;
    ``derivedFrom`` names the session's Procedure. Unrated measures are left out."""
    components = [
        {
            "code": {"coding": [codes.local_code(code)], "text": codes.LOCAL_CODES[code]},
            "valueQuantity": _score(_number(getattr(outcome, attribute))),
        }
        for attribute, code in OUTCOME_COMPONENTS
        if getattr(outcome, attribute) is not None
    ]
    data = {
        "resourceType": "Observation",
        "id": fhir_id,
        "status": "final",
        "category": [{"coding": [codes.SURVEY_CATEGORY]}],
        "code": {
            "coding": [codes.local_code("toxin-cycle-outcome")],
            "text": codes.LOCAL_CODES["toxin-cycle-outcome"],
        },
        "subject": reference("Patient", patient_id),
        "effectiveDateTime": iso(outcome.assessed_on),
        "partOf": [reference("Procedure", outcome.session_id)],
        "component": components or None,
    }
    return validated(Observation, data)


def side_effect_adverse_event(
    fhir_id: str,
    report: Any,
    symptom_labels: list[str],
    detected_on: Any,
    session_id: int | None,
) -> dict[str, Any]:
    """A side effect the patient reported from the portal, as an AdverseEvent.

    The patient is both subject and recorder. One report may name several symptoms; a
    CodeableConcept's codings must all mean the same thing, so the SNOMED CT code is sent only
    for a single coded symptom and ``event.text`` always lists every symptom. ``date`` is when
    the symptoms started (when the patient gave it), ``detected``/``recordedDate`` when the
    report was sent. Seriousness is sent only where known: an emergency (breathing trouble,
    an allergic reaction, severe swallowing trouble: ``safety.triage_urgency``) is "serious";
    otherwise the clinic has not judged it yet and the element is left out. The injection
    session (the Procedure) is the suspect entity when the report names one.
    """
    coded = [codes.ADVERSE_EVENT_SNOMED.get(s) for s in report.symptoms]
    coding = None
    if len(coded) == 1 and coded[0] is not None:
        coding = [{"system": codes.SNOMED, "code": coded[0][0], "display": coded[0][1]}]
    emergency = report.urgency == "emergency"
    data = {
        "resourceType": "AdverseEvent",
        "id": fhir_id,
        "actuality": "actual",
        "event": {"coding": coding, "text": "Patient-reported: " + "; ".join(symptom_labels)},
        "subject": reference("Patient", report.patient_id),
        "date": iso(report.started_on),
        "detected": iso(detected_on),
        "recordedDate": iso(detected_on),
        "seriousness": (
            {"coding": [{"system": codes.ADVERSE_EVENT_SERIOUSNESS, "code": "serious"}]}
            if emergency
            else None
        ),
        "severity": (
            {"coding": [{"system": codes.ADVERSE_EVENT_SEVERITY, "code": "severe"}]}
            if report.severe
            else None
        ),
        "recorder": reference("Patient", report.patient_id),
        "suspectEntity": (
            [{"instance": reference("Procedure", report.session_id)}] if report.session_id else None
        ),
    }
    return validated(AdverseEvent, data)


def antibody_observation(
    fhir_id: str, test: Any, method_label: str, result_label: str
) -> dict[str, Any]:
    """A botulinum toxin antibody test: category laboratory, the result as a coded value and
    its interpretation (POS/NEG/IND), the assay as ``method``, a titre (free text as the
    laboratory reports it) as a note."""
    code = f"toxin-antibodies-{test.toxin_type.lower()}"
    notes = [{"text": f"Titre: {test.titre}"}] if test.titre else []
    data = {
        "resourceType": "Observation",
        "id": fhir_id,
        "status": "final",
        "category": [{"coding": [codes.LABORATORY_CATEGORY]}],
        "code": {"coding": [codes.local_code(code)], "text": codes.LOCAL_CODES[code]},
        "subject": reference("Patient", test.patient_id),
        "effectiveDateTime": iso(test.tested_on),
        "valueCodeableConcept": {
            "coding": [
                {
                    "system": codes.ANTIBODY_RESULT_SYSTEM,
                    "code": test.result,
                    "display": result_label,
                }
            ],
            "text": result_label,
        },
        "interpretation": [{"coding": [codes.ANTIBODY_INTERPRETATION[test.result]]}],
        "method": {"text": method_label},
        "note": notes or None,
    }
    return validated(Observation, data)
