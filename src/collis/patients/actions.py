"""Writes of the clinical record: diagnosis and visits. Atomic and audited."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.patients import workup
from collis.patients.errors import (
    DuplicatePatientError,
    IncompletePatientError,
    InvalidWorkupError,
)
from collis.patients.models import Diagnosis, Patient, Visit
from collis.providers.models import Clinician

DIAGNOSIS_FIELDS = (
    "condition",
    "colcap_pattern",
    "primary_form",
    "onset_date",
    "has_tremor",
    "sensory_trick",
    "allergies",
    "relevant_history",
    "treating_clinician",
    "cause",
    "onset_age",
    "dopamine_blocker_exposure",
    "dopamine_blocker_detail",
    "family_history",
    "family_history_detail",
    "spread",
    "spread_detail",
    "sensory_tricks",
    "referral_kind",
    "referred_on",
    "referral_outcome",
    "referral_outcome_on",
)


@transaction.atomic
def update_diagnosis(
    request: HttpRequest | None, *, actor: Any, patient: Patient, data: dict[str, Any]
) -> Diagnosis:
    """Create or update the patient's diagnosis from cleaned ``data`` (keys of DIAGNOSIS_FIELDS).

    The work-up must be consistent (``workup.check_workup``), else ``InvalidWorkupError``.
    """
    diagnosis, created = Diagnosis.objects.select_for_update().get_or_create(patient=patient)
    changed = [name for name in DIAGNOSIS_FIELDS if name in data]
    for name in changed:
        setattr(diagnosis, name, data[name])
    problems = workup.check_workup(
        birth_date=patient.birth_date,
        onset_date=diagnosis.onset_date,
        onset_age=diagnosis.onset_age,
        cause=diagnosis.cause,
        dopamine_blocker_exposure=diagnosis.dopamine_blocker_exposure,
        tricks=diagnosis.sensory_tricks,
        referred_on=diagnosis.referred_on,
        referral_kind=diagnosis.referral_kind,
        referral_outcome=diagnosis.referral_outcome,
        outcome_on=diagnosis.referral_outcome_on,
        today=timezone.localdate(),
    )
    if problems:
        raise InvalidWorkupError(tuple(problems))
    diagnosis.save()
    record_access(
        request,
        Action.CREATE if created else Action.UPDATE,
        diagnosis,
        user=actor,
        patient_id=patient.pk,
        detail={"fields": changed},
    )
    return diagnosis


@transaction.atomic
def record_visit(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    clinician: Clinician,
    occurred_at: datetime,
    kind: str = Visit.Kind.INJECTION,
    notes: str = "",
    appointment: Any = None,
) -> Visit:
    """Record an encounter, linked to the appointment it took place in when there is one."""
    visit = Visit.objects.create(
        patient=patient,
        clinician=clinician,
        occurred_at=occurred_at,
        kind=kind,
        notes=notes,
        appointment=appointment,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_access(request, Action.CREATE, visit, user=actor, detail={"kind": kind})
    return visit


@transaction.atomic
def update_visit_notes(
    request: HttpRequest | None, *, actor: Any, visit: Visit, notes: str
) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    visit.notes = notes
    visit.save(update_fields=["notes"])
    record_access(request, Action.UPDATE, visit, user=actor, detail={"fields": ["notes"]})
    return visit


@transaction.atomic
def register_patient(
    *,
    given_name: str,
    family_name: str,
    birth_date: date | None,
    phone: str = "",
    email: str = "",
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Patient:
    """Add a patient record (the front desk's "new patient"), with a fresh MRN; audited.

    Needs both names and a phone number or an email (IncompletePatientError). The same name
    and birth date already on file raises DuplicatePatientError naming that record.
    """
    given_name, family_name = given_name.strip(), family_name.strip()
    phone, email = phone.strip(), email.strip()
    if not (given_name and family_name):
        raise IncompletePatientError("Give the patient's first and last name.")
    if not (phone or email):
        raise IncompletePatientError("Give a phone number or an email to reach the patient.")
    if birth_date is not None:
        existing = (
            Patient.objects.filter(
                given_name__iexact=given_name,
                family_name__iexact=family_name,
                birth_date=birth_date,
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            raise DuplicatePatientError(existing.pk)
    patient = Patient.objects.create(
        mrn=f"C{timezone.now():%y%m}-{secrets.token_hex(3).upper()}",
        given_name=given_name[:100],
        family_name=family_name[:100],
        birth_date=birth_date,
        phone=phone[:40],
        email=email,
    )
    record_access(request, Action.CREATE, patient, user=actor, detail={"via": "front desk"})
    return patient


def set_preferred_language(patient: Patient, code: str) -> None:
    """Save the language a patient reads (a code from settings.LANGUAGES: "en", "es")."""
    if patient.preferred_language != code:
        patient.preferred_language = code
        patient.save(update_fields=["preferred_language"])
