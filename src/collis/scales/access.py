"""Guarded reads of assessments: clinicians only (see patients.access)."""

from __future__ import annotations

from django.http import Http404

from collis.patients.access import require_clinician
from collis.scales.models import Assessment


def access_assessment(user, assessment_id: int) -> Assessment:
    require_clinician(user)
    try:
        return Assessment.objects.select_related("patient", "visit").get(pk=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
