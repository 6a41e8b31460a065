"""Writes for user accounts: roles and the invited patient's activation.

Inviting a patient, linking an account to a record and anonymising a patient need the patient
record: they live in ``collis.patients.actions``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction

from collis.accounts.roles import STAFF_ROLES, Role


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


def activate_patient_account(user: AbstractUser, password: str) -> AbstractUser:
    """Set the invited patient's first password and activate the account."""
    from collis.audit.actions import Action, record_access

    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        record_access(None, Action.UPDATE, user, user=user, detail={"activated": True})
    return user
