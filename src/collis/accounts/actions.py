"""Writes for user accounts: roles, patient invitations and activation, anonymisation."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.http import HttpRequest

from collis.accounts.errors import (
    AlreadyAnonymisedError,
    AnonymisationError,
    LinkError,
    PatientAlreadyHasAccountError,
    PatientHasNoEmailError,
    ReverifyIdentityError,
    UsernameTakenError,
)
from collis.accounts.roles import STAFF_ROLES, Role, is_administrator
from collis.patients.models import Patient


@transaction.atomic
def ensure_user_with_role(
    username: str,
    role: Role,
    *,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    superuser: bool = False,
) -> AbstractUser:
    """Create the user if missing and make sure it holds ``role`` (and staff status to match).

    An existing user's password is left alone, so re-running the demo seed never resets a
    password someone changed.
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": email},
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
    user.is_staff = role in STAFF_ROLES
    user.is_superuser = superuser
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


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
    context = {"user": user, "activation_url": _activation_url(user)}
    send_mail(
        subject=render_to_string("accounts/email/activation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/activation_body.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


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
    from collis.accounts.roles import has_role
    from collis.audit.actions import Action, record_access

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
    from django.core.exceptions import PermissionDenied

    from collis.accounts.roles import has_role
    from collis.audit.actions import Action, record_access

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


def activate_patient_account(user: AbstractUser, password: str) -> AbstractUser:
    """Set the invited patient's first password and activate the account."""
    from collis.audit.actions import Action, record_access

    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        record_access(None, Action.UPDATE, user, user=user, detail={"activated": True})
    return user


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
    anonymiser runs (see ``collis.accounts.privacy``), and the act is recorded with its reason.
    The audit trail is not rewritten: it is append-only by design.
    Raises ``PermissionDenied`` for non-administrators and ``AnonymisationError`` subclasses.
    """
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from collis.accounts.models import PatientAnonymisation
    from collis.accounts.privacy import anonymisers
    from collis.audit.actions import Action, record_access

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
