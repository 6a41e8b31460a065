"""Patients' own data, machine-readable: a registry each app adds its section to.

An app registers, in its ``AppConfig.ready()``:

- ``register_export_section("injections", export_injections)`` where ``export_injections(patient)``
  returns JSON-serialisable data (dicts, lists, strings, numbers, dates) for that patient;
- ``register_anonymiser("injections", anonymise_injections)`` where the function strips
  identifying free text from that app's rows inside the anonymisation transaction
  (clinical values stay, for statistics) and returns what it erased, e.g.
  ``{"diary notes": 3}``; the administrator sees the list.

Registered here: ``patient``, ``account`` and ``record_access_history``; ``diagnosis`` and
``visits`` (below, from ``PatientsConfig.ready``); the apps above patients register theirs. The
registry lives in ``patients`` because every section is about a patient and every app that
registers one sits on or above this floor. ``export_patient_data(patient)`` collects every
section; ``anonymise_patient`` (in ``collis.patients.actions``) runs every anonymiser.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from collis.patients.models import Diagnosis, Patient, Visit

EXPORT_FORMAT = "collis-patient-export"
EXPORT_VERSION = 1

ExportSection = Callable[[Patient], Any]
Anonymiser = Callable[[Patient], "dict[str, int] | None"]

_export_sections: dict[str, ExportSection] = {}
_anonymisers: dict[str, Anonymiser] = {}


def register_export_section(name: str, section: ExportSection) -> None:
    """Add ``name`` to every patient export. Registering the same function twice is harmless."""
    existing = _export_sections.get(name)
    if existing is not None and existing is not section:
        raise ValueError(f"export section {name!r} is already registered")
    _export_sections[name] = section


def register_anonymiser(name: str, anonymiser: Anonymiser) -> None:
    """Run ``anonymiser(patient)`` whenever a patient is anonymised."""
    existing = _anonymisers.get(name)
    if existing is not None and existing is not anonymiser:
        raise ValueError(f"anonymiser {name!r} is already registered")
    _anonymisers[name] = anonymiser


def export_sections() -> dict[str, ExportSection]:
    return dict(_export_sections)


def anonymisers() -> dict[str, Anonymiser]:
    return dict(_anonymisers)


def export_patient_data(patient: Patient) -> dict[str, Any]:
    """Everything Collis holds about ``patient``, one section per app, as plain JSON types."""
    sections = {name: _export_sections[name](patient) for name in sorted(_export_sections)}
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "patient_id": patient.pk,
        "sections": sections,
    }
    # Round-trip so callers always get plain JSON values (dates as ISO 8601 strings).
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


def export_patient_json(patient: Patient) -> str:
    return json.dumps(export_patient_data(patient), indent=2, ensure_ascii=False)


def _patient_section(patient: Patient) -> dict[str, Any]:
    return {
        "medical_record_number": patient.mrn,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "birth_date": patient.birth_date,
        "sex": patient.sex,
        "email": patient.email,
        "phone": patient.phone,
        "preferred_language": patient.preferred_language,
        "registered_at": patient.created_at,
    }


def _account_section(patient: Patient) -> dict[str, Any] | None:
    from collis.accounts.two_factor import has_second_factor

    user = patient.user
    if user is None:
        return None
    return {
        "username": user.get_username(),
        "email": user.email,
        "active": user.is_active,
        "joined_at": user.date_joined,
        "last_sign_in_at": user.last_login,
        "two_factor_enabled": has_second_factor(user),
    }


def _record_access_section(patient: Patient) -> list[dict[str, Any]]:
    """Who read or changed this record, and when: the patient's side of the audit trail."""
    from collis.audit.models import AuditEvent

    return [
        {
            "at": event.at,
            "who": event.actor_label,
            "action": event.action,
            "what": event.object_type,
        }
        for event in AuditEvent.objects.filter(patient_id=patient.pk).order_by("at", "pk")
    ]


def register_builtin_sections() -> None:
    register_export_section("patient", _patient_section)
    register_export_section("account", _account_section)
    register_export_section("record_access_history", _record_access_section)


# The diagnosis and work-up in the patient's data export; its free text erased on anonymisation
# (the coded work-up stays, for statistics).
def export_diagnosis(patient) -> dict[str, Any] | None:  # noqa: ANN001 (patients.Patient)
    diagnosis = Diagnosis.objects.filter(patient=patient).first()
    if diagnosis is None:
        return None
    fields = (
        "condition",
        "colcap_pattern",
        "primary_form",
        "onset_date",
        "onset_age",
        "has_tremor",
        "sensory_trick",
        "sensory_tricks",
        "cause",
        "dopamine_blocker_exposure",
        "dopamine_blocker_detail",
        "family_history",
        "family_history_detail",
        "spread",
        "spread_detail",
        "referral_kind",
        "referred_on",
        "referral_outcome",
        "referral_outcome_on",
        "allergies",
        "relevant_history",
    )
    return {name: getattr(diagnosis, name) for name in fields}


def export_visits(patient) -> list[dict[str, Any]]:  # noqa: ANN001 (patients.Patient)
    """The patient's visits: when, what kind, with whom, and the clinician's notes."""
    return [
        {
            "occurred_at": v.occurred_at,
            "kind": v.kind,
            "clinician": v.clinician.display_name,
            "notes": v.notes,
        }
        for v in Visit.objects.filter(patient=patient).select_related("clinician")
    ]


def anonymise_visit_notes(patient) -> dict[str, int]:  # noqa: ANN001
    """Clear visit notes: free text that may name the patient or their family."""
    return {"visit notes": Visit.objects.filter(patient=patient).exclude(notes="").update(notes="")}


def anonymise_diagnosis(patient) -> dict[str, int]:  # noqa: ANN001
    return {
        "diagnosis notes": Diagnosis.objects.filter(patient=patient).update(
            relevant_history="",
            dopamine_blocker_detail="",
            family_history_detail="",
            spread_detail="",
        )
    }
