"""Guarded reads of home check-ins: clinicians see all; a patient only their own (else 404)."""

from __future__ import annotations

from django.http import Http404

from collis.checkins.models import HomeCheckin
from collis.patients.access import User, access_own_patient, require_clinician


def access_checkin(user: User, checkin_id: int) -> HomeCheckin:
    require_clinician(user)
    try:
        return HomeCheckin.objects.select_related("patient", "job").get(pk=checkin_id)
    except HomeCheckin.DoesNotExist:
        raise Http404("No such check-in.") from None


def access_own_checkin(user: User, checkin_id: int) -> HomeCheckin:
    patient = access_own_patient(user)
    try:
        return HomeCheckin.objects.select_related("patient", "job").get(
            pk=checkin_id, patient=patient
        )
    except HomeCheckin.DoesNotExist:
        raise Http404("No such check-in.") from None
