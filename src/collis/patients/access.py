"""Guarded reads of patient records.

Clinical data (diagnosis, visits and notes, scales, injections, diary) is for clinicians only:
the front desk and everyone else get ``ClinicalAccessDenied`` (403). In the portal a patient
reaches only their own record: anything else answers exactly like a missing record (404).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from collis.accounts.roles import Role, has_role
from collis.patients.models import Patient, Visit

User = AbstractBaseUser | AnonymousUser


class ClinicalAccessDenied(PermissionDenied):
    """The user may not see clinical data."""


def can_see_clinical_data(user: User) -> bool:
    return has_role(user, Role.CLINICIAN)


def require_clinician(user: User) -> None:
    if not can_see_clinical_data(user):
        raise ClinicalAccessDenied("Clinical records are for clinicians only.")


def access_patient_record(user: User, patient_id: int) -> Patient:
    """Return the patient for a clinician's clinical view; 403 for other roles, 404 if missing."""
    require_clinician(user)
    try:
        return Patient.objects.select_related("diagnosis").get(pk=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient.") from None


def access_visit(user: User, visit_id: int) -> Visit:
    require_clinician(user)
    try:
        return Visit.objects.select_related("patient", "clinician").get(pk=visit_id)
    except Visit.DoesNotExist:
        raise Http404("No such visit.") from None


def access_own_patient(user: User) -> Patient:
    """Return the signed-in patient's own record, or 404 for accounts that have none.

    Only an account holding the patient role (never a staff account, see ``has_role``) owns a
    record here, whatever a ``Patient.user`` link says.
    """
    if not user.is_authenticated or not has_role(user, Role.PATIENT):
        raise Http404("No patient record.")
    try:
        return Patient.objects.get(user=user)
    except Patient.DoesNotExist:
        raise Http404("No patient record.") from None


def access_own_visit(user: User, visit_id: int) -> Visit:
    """Return one of the signed-in patient's own visits; another patient's is 'missing'."""
    patient = access_own_patient(user)
    try:
        return Visit.objects.select_related("patient", "clinician").get(
            pk=visit_id, patient=patient
        )
    except Visit.DoesNotExist:
        raise Http404("No such visit.") from None
