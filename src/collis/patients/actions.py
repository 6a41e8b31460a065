"""Writes of the patient record: diagnosis, visits, registration; portal invitations, account
linking and anonymisation. Atomic and audited."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from collis.accounts.errors import (
    AlreadyAnonymisedError,
    AnonymisationError,
    LinkError,
    PatientAlreadyHasAccountError,
    PatientHasNoEmailError,
    ReverifyIdentityError,
    UsernameTakenError,
)
from collis.accounts.roles import Role, has_role, is_administrator
from collis.audit.actions import Action, record_access
from collis.lib.i18n import patient_language, with_language
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


def _activation_url(user: AbstractUser) -> str:
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "accounts:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send_activation_email(user_id: int) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    user = get_user_model().objects.get(pk=user_id)
    # In the patient's language; the link opens the activation page in it too.
    language = patient_language(Patient.objects.filter(user=user).first())
    context = {"user": user, "activation_url": with_language(_activation_url(user), language)}
    with translation.override(language):
        subject = render_to_string("accounts/email/activation_subject.txt", context).strip()
        body = render_to_string("accounts/email/activation_body.txt", context)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])


def invite_patient(
    patient: Patient, request: HttpRequest | None, *, identity_evidence: str = ""
) -> AbstractUser:
    """Create an inactive portal account for ``patient`` and email them an activation link.

    The account's username is the patient's email address. The link (Django's signed
    one-time token, valid ``PASSWORD_RESET_TIMEOUT``) lets them choose a password, which
    activates the account. Raises an ``InviteError`` subclass if the patient already has an
    account, has no email, or the address is taken; ``ReverifyIdentityError`` if the address
    changed since registration and the inviter is not an administrator who re-verified the
    patient's identity (``identity_evidence``, e.g. "photo ID seen at the desk").
    """
    User = get_user_model()
    actor = getattr(request, "user", None)
    with transaction.atomic():
        patient = type(patient).objects.select_for_update().get(pk=patient.pk)
        if patient.user_id is not None:
            raise PatientAlreadyHasAccountError(f"{patient.full_name} already has an account.")
        evidence = identity_evidence.strip()
        if patient.email_changed_at is not None and not (
            actor is not None and has_role(actor, Role.ADMINISTRATOR) and evidence
        ):
            raise ReverifyIdentityError(
                f"{patient.full_name}'s email address changed since registration. An "
                "administrator must re-verify their identity before inviting them."
            )
        email = patient.email.strip().lower()
        if not email:
            raise PatientHasNoEmailError(
                f"{patient.full_name} has no email address; add one before inviting."
            )
        if User.objects.filter(username__iexact=email).exists():
            raise UsernameTakenError(f"An account named {email} already exists.")
        user = User.objects.create_user(
            username=email,
            email=email,
            first_name=patient.given_name,
            last_name=patient.family_name,
            is_active=False,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.PATIENT.value)[0])
        patient.user = user
        patient.save(update_fields=["user"])
        detail: dict[str, object] = {"invited": True}
        if evidence:
            detail["identity_evidence"] = evidence[:300]
        record_access(request, Action.CREATE, user, patient_id=patient.pk, detail=detail)
        transaction.on_commit(lambda: _send_activation_email(user.pk))
    return user


def link_patient_account(
    patient: Patient,
    user: AbstractUser,
    *,
    actor: AbstractUser,
    identity_evidence: str,
    request: HttpRequest | None = None,
) -> Patient:
    """Give ``user`` (a patient account) ``patient``'s record: an administrator's act, audited.

    The caller has re-verified the patient's identity (``identity_evidence`` says how) and the
    administrator's own password. A staff account is never linked to a patient record.
    Raises ``PermissionDenied`` for non-administrators and ``LinkError`` otherwise.
    """
    if not has_role(actor, Role.ADMINISTRATOR):
        raise PermissionDenied("Only a clinic administrator may link a portal account.")
    evidence = identity_evidence.strip()
    if not evidence:
        raise LinkError("Say how the patient's identity was verified.")
    if user.is_staff or user.is_superuser or not has_role(user, Role.PATIENT):
        raise LinkError("Only a patient account can be linked to a patient record.")
    with transaction.atomic():
        patient = type(patient).objects.select_for_update().get(pk=patient.pk)
        if patient.user_id is not None:
            raise LinkError(f"{patient.full_name} already has a portal account.")
        if type(patient).objects.filter(user=user).exists():
            raise LinkError("That account is already linked to another record.")
        patient.user = user
        patient.save(update_fields=["user"])
        record_access(
            request,
            Action.UPDATE,
            patient,
            user=actor,
            detail={
                "account_linked": True,
                "account": user.get_username(),
                "identity_evidence": evidence[:300],
            },
        )
    return patient


# HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(C)): keep the year of birth only, and none at all
# past age 89, whose rarity identifies.
SAFE_HARBOR_MAX_AGE = 89


def _anonymised_birth_date(birth_date: date | None, today: date) -> date | None:
    if birth_date is None:
        return None
    age = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    if age > SAFE_HARBOR_MAX_AGE:
        return None
    return date(birth_date.year, 1, 1)


def anonymise_patient(
    patient: Patient, actor: AbstractUser, reason: str, *, request: HttpRequest | None = None
) -> Patient:
    """Strip ``patient``'s identity for good; clinical rows stay for statistics.

    Only an administrator may do this. Name, contact and record number are replaced, the birth
    date keeps only its year, the portal account is disabled and renamed, every registered
    anonymiser runs (see ``collis.patients.privacy``), and the act is recorded with its reason.
    The audit trail is not rewritten: it is append-only by design.
    Raises ``PermissionDenied`` for non-administrators and ``AnonymisationError`` subclasses.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from collis.accounts.models import PatientAnonymisation
    from collis.patients.privacy import anonymisers

    if not is_administrator(actor):
        raise PermissionDenied("Only a clinic administrator may anonymise a patient.")
    reason = reason.strip()
    if not reason:
        raise AnonymisationError("Give the reason for anonymising this patient.")
    with transaction.atomic():
        patient = type(patient).objects.select_for_update().get(pk=patient.pk)
        if PatientAnonymisation.objects.filter(patient=patient).exists():
            raise AlreadyAnonymisedError("This patient has already been anonymised.")
        user = patient.user
        erased: dict[str, int] = {
            "identity (name, birth date, contact, record number)": 1,
            "portal account": int(user is not None),
        }
        patient.mrn = f"ANON-{patient.pk}"
        patient.given_name = "Anonymised"
        patient.family_name = f"Patient {patient.pk}"
        patient.birth_date = _anonymised_birth_date(patient.birth_date, timezone.localdate())
        patient.email = ""
        patient.phone = ""
        patient.user = None
        patient.save()
        if user is not None:
            from axes.models import AccessAttempt, AccessFailureLog, AccessLog

            old_names = {user.get_username(), user.email}
            erased["sign-in records"] = sum(
                model.objects.filter(username__in=old_names).delete()[0]
                for model in (AccessAttempt, AccessFailureLog, AccessLog)
            )
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            user.username = f"anonymised-{user.pk}"
            user.first_name = user.last_name = user.email = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            user.groups.clear()
        for anonymise in anonymisers().values():
            erased.update(anonymise(patient) or {})
        PatientAnonymisation.objects.create(
            patient=patient, actor=actor, reason=reason, erased=erased
        )
        record_access(
            request,
            Action.UPDATE,
            patient,
            user=actor,
            detail={"anonymised": True, "reason": reason, "erased": erased},
        )
    return patient
