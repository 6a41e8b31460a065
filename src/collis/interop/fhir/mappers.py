"""Map Collis records to FHIR R4 resources (plain dicts, validated by fhir.resources).

Pure: no Django imports. Each mapper reads attributes of the record it is given (duck typing),
so tests can pass simple objects, and returns the resource as a JSON-ready dict.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from typing import Any

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.fhirresourcemodel import FHIRResourceModel
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot

from collis.interop.fhir import codes

_GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


def validated(resource_cls: type[FHIRResourceModel], data: dict[str, Any]) -> dict[str, Any]:
    """Validate ``data`` as ``resource_cls`` and return its canonical JSON form."""
    return resource_cls.model_validate(data).model_dump(mode="json", exclude_none=True)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def reference(resource_type: str, pk: object, display: str | None = None) -> dict[str, str]:
    ref = {"reference": f"{resource_type}/{pk}"}
    if display:
        ref["display"] = display
    return ref


def patient(p: Any) -> dict[str, Any]:
    telecom = []
    if p.phone:
        telecom.append({"system": "phone", "value": p.phone, "use": "mobile"})
    if p.email:
        telecom.append({"system": "email", "value": p.email})
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(p.pk),
        # US Core 3.1.1 Patient: identifier (system + value), name, gender are always sent.
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
        "identifier": [{"system": codes.MRN_SYSTEM, "value": p.mrn}],
        "active": True,
        "name": [{"use": "official", "family": p.family_name, "given": [p.given_name]}],
        "gender": _GENDER.get(p.sex, "unknown"),
        "birthDate": iso(p.birth_date),
        "telecom": telecom or None,
    }
    if p.preferred_language:
        data["communication"] = [{"language": {"text": p.preferred_language}, "preferred": True}]
    return validated(Patient, data)


def practitioner(c: Any, specialties: Iterable[str], languages: Iterable[str]) -> dict[str, Any]:
    name = c.display_name.replace("Dr. ", "")
    given, _, family = name.rpartition(" ")
    data = {
        "resourceType": "Practitioner",
        "id": str(c.pk),
        # US Core 3.1.1 Practitioner: identifier and a name with a family name are always sent.
        "meta": {
            "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner"]
        },
        "identifier": [{"system": codes.CLINICIAN_SYSTEM, "value": c.slug}],
        "active": c.is_active,
        "name": [
            {
                "text": c.display_name,
                "family": family or name,
                "given": [given] if given else None,
                "suffix": [c.credentials] if c.credentials else None,
            }
        ],
        "qualification": [{"code": {"text": s}} for s in specialties] or None,
        "communication": [{"text": lang} for lang in languages] or None,
    }
    return validated(Practitioner, data)


def organization(clinic: Any) -> dict[str, Any]:
    telecom = [{"system": "phone", "value": clinic.phone}]
    if clinic.email:
        telecom.append({"system": "email", "value": clinic.email})
    data = {
        "resourceType": "Organization",
        "id": str(clinic.pk),
        "active": True,
        "name": clinic.name,
        "telecom": telecom,
    }
    return validated(Organization, data)


def location(loc: Any) -> dict[str, Any]:
    data = {
        "resourceType": "Location",
        "id": str(loc.pk),
        "status": "active" if loc.is_active else "inactive",
        "name": loc.name,
        "telecom": [{"system": "phone", "value": loc.phone}] if loc.phone else None,
        "address": {
            "line": [loc.street],
            "city": loc.city,
            "state": loc.region or None,
            "postalCode": loc.postal_code or None,
        },
        "managingOrganization": reference("Organization", loc.clinic_id),
    }
    return validated(Location, data)


# Collis status -> FHIR R4 AppointmentStatus (hl7.org/fhir/R4/valueset-appointmentstatus).
APPOINTMENT_STATUS = {
    "requested": "pending",
    "confirmed": "booked",
    "arrived": "arrived",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
}


def local_time(value: datetime, zone: tzinfo) -> str:
    """An instant as ISO 8601 in the clinic's zone, with its offset (e.g. ``-06:00``)."""
    return value.astimezone(zone).isoformat()


def service_type(slug: str, name: str) -> dict[str, Any]:
    return {
        "coding": [{"system": codes.APPOINTMENT_TYPE_SYSTEM, "code": slug, "display": name}],
        "text": name,
    }


def schedule(
    fhir_id: str,
    clinician: Any,
    place: Any,
    types: Iterable[tuple[str, str]],
    hours: str,
    horizon: tuple[datetime, datetime],
    zone: tzinfo,
) -> dict[str, Any]:
    """A clinician's bookable hours at one location; ``types`` are (slug, name) pairs."""
    data = {
        "resourceType": "Schedule",
        "id": fhir_id,
        "active": clinician.is_active and place.is_active,
        "serviceType": [service_type(slug, name) for slug, name in types] or None,
        "actor": [
            reference("Practitioner", clinician.pk, clinician.display_name),
            reference("Location", place.pk, place.name),
        ],
        "planningHorizon": {
            "start": local_time(horizon[0], zone),
            "end": local_time(horizon[1], zone),
        },
        "comment": hours or None,
    }
    return validated(Schedule, data)


def slot(
    fhir_id: str,
    schedule_id: str,
    start: datetime,
    end: datetime,
    type_slug: str,
    type_name: str,
    zone: tzinfo,
    status: str = "free",
) -> dict[str, Any]:
    data = {
        "resourceType": "Slot",
        "id": fhir_id,
        "schedule": reference("Schedule", schedule_id),
        "serviceType": [service_type(type_slug, type_name)],
        "status": status,
        "start": local_time(start, zone),
        "end": local_time(end, zone),
    }
    return validated(Slot, data)


def appointment(a: Any, zone: tzinfo, slot_id: str | None = None) -> dict[str, Any]:
    """One booking; times in the clinic zone with their offset, participants all accepted;
    ``slot`` names the Slot it holds (busy while the booking is active)."""
    data = {
        "resourceType": "Appointment",
        "id": str(a.pk),
        "identifier": [{"system": codes.APPOINTMENT_UID_SYSTEM, "value": str(a.uid)}],
        "status": APPOINTMENT_STATUS[a.status],
        "cancelationReason": {"text": a.cancel_reason} if a.cancel_reason else None,
        "serviceType": [service_type(a.appointment_type.slug, a.appointment_type.name)],
        "description": a.appointment_type.name,
        "start": local_time(a.start, zone),
        "end": local_time(a.end, zone),
        "minutesDuration": int((a.end - a.start).total_seconds() // 60),
        "slot": [reference("Slot", slot_id)] if slot_id else None,
        "created": local_time(a.created_at, zone),
        "comment": a.reason or None,
        "participant": [
            {
                "actor": reference("Patient", a.patient_id, a.patient.full_name),
                "status": "accepted",
            },
            {
                "actor": reference("Practitioner", a.clinician_id, a.clinician.display_name),
                "status": "accepted",
            },
            {"actor": reference("Location", a.location_id, a.location.name), "status": "accepted"},
        ],
    }
    return validated(Appointment, data)


def operation_outcome(severity: str, code: str, diagnostics: str) -> dict[str, Any]:
    data = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }
    return validated(OperationOutcome, data)


def searchset(
    base_url: str,
    entries: list[dict[str, Any]],
    total: int,
    links: dict[str, str],
    included: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A search result: the matches, then resources added by ``_include``/``_revinclude``."""

    def entry(resource: dict[str, Any], mode: str) -> dict[str, Any]:
        return {
            "fullUrl": f"{base_url}/{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": mode},
        }

    data = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": rel, "url": url} for rel, url in links.items()],
        "entry": [entry(e, "match") for e in entries]
        + [entry(e, "include") for e in included or []]
        or None,
    }
    return validated(Bundle, data)


def history(entries: list[dict[str, Any]], url: str) -> dict[str, Any]:
    """A history Bundle; each entry carries its request and response (bdl-3, bdl-4)."""
    data = {
        "resourceType": "Bundle",
        "type": "history",
        "total": len(entries),
        "link": [{"relation": "self", "url": url}],
        "entry": entries or None,
    }
    return validated(Bundle, data)
