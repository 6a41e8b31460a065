"""Guarded reads of patient records: the one place that says who may load which patient.

Clinical data (diagnosis, visits and notes, scales, injections, diary) is for clinicians only:
the front desk and everyone else get ``ClinicalAccessDenied`` (403). In the portal a patient
reaches only their own record: anything else answers exactly like a missing record (404).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from collis.accounts.roles import can_read_clinical, is_patient, is_staff_member
from collis.patients.models import Patient, Visit

User = AbstractBaseUser | AnonymousUser


class ClinicalAccessDenied(PermissionDenied):
    """The user may not see clinical data."""


def require_clinician(user: User) -> None:
    """Raise ClinicalAccessDenied (403) unless ``user`` may read clinical records."""
    if not can_read_clinical(user):
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


def visible_patients(user: User) -> QuerySet[Patient]:
    """Patients ``user`` may see: all for staff roles, their own for a patient, none otherwise.

    Which *fields* a staff role may read (front desk: contact only) is up to each view.
    """
    if is_staff_member(user):
        return Patient.objects.all()
    if is_patient(user):
        return Patient.objects.filter(user=user)
    return Patient.objects.none()


def access_patient(user: User, patient_id: int) -> Patient:
    """Load a patient ``user`` may see; a hidden one answers exactly like a missing one (404)."""
    try:
        return visible_patients(user).get(pk=patient_id)
    except (Patient.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such patient") from exc


def access_own_patient(user: User) -> Patient:
    """Return the signed-in patient's own record; 404 for accounts that have none.

    The account must hold the patient role: an account stripped of it reaches no record.
    """
    if not is_patient(user):
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
