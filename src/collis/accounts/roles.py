"""The four roles of a Collis clinic, as Django groups, and the permissions each holds.

Least privilege: the front desk works the schedule and contact details but never sees clinical
notes, scales or injections; clinicians see clinical data; administrators manage the site and read
the audit trail; patients hold no model permissions at all and reach only their own records
through the portal's guarded views.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

__all__ = [
    "APP_ROLES",
    "EXTRA_PERMISSIONS",
    "STAFF_ROLES",
    "Role",
    "can_read_clinical",
    "ensure_role_groups",
    "has_role",
    "holds_staff_role",
    "is_administrator",
    "is_clinical_staff",
    "is_clinician",
    "is_front_desk",
    "is_patient",
    "is_staff_member",
]


class Role(StrEnum):
    PATIENT = "patient"
    FRONT_DESK = "front_desk"
    CLINICIAN = "clinician"
    ADMINISTRATOR = "clinic_admin"


STAFF_ROLES = frozenset({Role.FRONT_DESK, Role.CLINICIAN, Role.ADMINISTRATOR})

# app_label -> the roles that may view/add/change/delete its models in the back office.
# Apps added later register here; unknown app labels are skipped so this stays declarative.
APP_ROLES: dict[str, frozenset[Role]] = {
    "providers": frozenset({Role.ADMINISTRATOR}),
    "education": frozenset({Role.ADMINISTRATOR, Role.CLINICIAN}),
    "patients": frozenset({Role.ADMINISTRATOR, Role.CLINICIAN}),
    "scheduling": frozenset({Role.ADMINISTRATOR, Role.FRONT_DESK, Role.CLINICIAN}),
    "scales": frozenset({Role.CLINICIAN}),
    "injections": frozenset({Role.CLINICIAN}),
    "recordings": frozenset({Role.CLINICIAN}),
    "diary": frozenset({Role.CLINICIAN}),
    "audit": frozenset(),  # read in its own admin view by administrators only
    "interop": frozenset({Role.ADMINISTRATOR}),
    # Stock, authorisations and the billing table: the clinic manager is the administrator.
    "supply": frozenset({Role.ADMINISTRATOR}),
    # Administrators unlock locked-out sign-ins and remove a lost phone's authenticator.
    "axes": frozenset({Role.ADMINISTRATOR}),
    "otp_totp": frozenset({Role.ADMINISTRATOR}),
    "otp_static": frozenset({Role.ADMINISTRATOR}),
}
# Front desk needs patients' contact details to book, without clinical fields (see admin).
EXTRA_PERMISSIONS: dict[Role, list[str]] = {
    Role.FRONT_DESK: ["patients.view_patient", "patients.add_patient", "patients.change_patient"],
    Role.ADMINISTRATOR: ["audit.view_auditevent", "auth.view_user", "auth.change_user"],
}


def ensure_role_groups() -> None:
    """Create the role groups and give each exactly the permissions listed above."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        perms = list(
            Permission.objects.filter(
                content_type__app_label__in=[
                    app for app, roles in APP_ROLES.items() if role in roles
                ]
            )
        )
        for dotted in EXTRA_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".")
            perms.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    """True if ``user`` holds ``role``. A staff account never holds the patient role.

    Staff and patient accounts are kept apart: a front-desk or clinician account that was put
    in the patient group (or linked to a patient record) must not reach the portal or a
    patient-scoped API as that patient, nor widen what its staff role reads.
    """
    if not user.is_authenticated:
        return False
    if role is Role.PATIENT and (user.is_staff or user.is_superuser):
        return False
    if role is Role.ADMINISTRATOR and user.is_superuser:
        return True
    return user.groups.filter(name=role.value).exists()


# --- The role vocabulary: every app asks these, never ``has_role`` combinations of its own. ---


def is_clinician(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.CLINICIAN)


def is_front_desk(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.FRONT_DESK)


def is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A clinic administrator; a superuser counts as one."""
    return has_role(user, Role.ADMINISTRATOR)


def is_patient(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.PATIENT)


def can_read_clinical(user: AbstractBaseUser | AnonymousUser) -> bool:
    """May open clinical records in the clinic's pages (notes, scales, injections, diary).

    Clinicians only: administrators manage the site, the front desk sees contact details.
    """
    return is_clinician(user)


def is_clinical_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A clinician or an administrator (a superuser is one).

    They read clinical resources over FHIR (an administrator runs the bulk export) and may
    book a re-injection before its due date, with a reason.
    """
    return is_clinician(user) or is_administrator(user)


def holds_staff_role(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Holds the front-desk, clinician or administrator role."""
    return any(has_role(user, role) for role in STAFF_ROLES)


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A staff account (Django's ``is_staff``) that holds a staff role."""
    return bool(user.is_authenticated and user.is_staff and holds_staff_role(user))
