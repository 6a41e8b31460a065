"""Guarded reads of patients by role, enforced in querysets (not only in templates).

Clinical apps build on these: ``visible_patients(user)`` is the set a user may ever reach, and
``access_own_patient(user)`` is the one record a signed-in patient owns.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from collis.accounts.roles import STAFF_ROLES, Role, has_role
from collis.patients.models import Patient


def visible_patients(user) -> QuerySet[Patient]:
    """Patients ``user`` may see: all for staff roles, their own for a patient, none otherwise.

    Which *fields* a staff role may read (front desk: contact only) is up to each view.
    """
    if not user.is_authenticated:
        return Patient.objects.none()
    if user.is_staff and any(has_role(user, role) for role in STAFF_ROLES):
        return Patient.objects.all()
    if has_role(user, Role.PATIENT):
        return Patient.objects.filter(user=user)
    return Patient.objects.none()


def access_patient(user, patient_id: int) -> Patient:
    """Load a patient ``user`` may see; a hidden one answers exactly like a missing one (404)."""
    try:
        return visible_patients(user).get(pk=patient_id)
    except (Patient.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such patient") from exc


def access_own_patient(user) -> Patient:
    """The patient record linked to a signed-in patient account; 404 if there is none."""
    if not user.is_authenticated or not has_role(user, Role.PATIENT):
        raise Http404("No patient record for this account")
    try:
        return Patient.objects.get(user=user)
    except Patient.DoesNotExist as exc:
        raise Http404("No patient record for this account") from exc
