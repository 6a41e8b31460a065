"""Writes of scale assessments: drafts are checked, complete forms are scored. Audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from collis.audit.actions import Action, record_access
from collis.patients.models import Patient, Visit
from collis.scales import tsui, twstrs
from collis.scales.models import Assessment

_SCALES = {
    Assessment.Scale.TWSTRS: (
        twstrs.check_twstrs_draft,
        twstrs.score_twstrs,
        twstrs.TWSTRS_VERSION,
    ),
    Assessment.Scale.TSUI: (tsui.check_tsui_draft, tsui.score_tsui, tsui.TSUI_VERSION),
}


@transaction.atomic
def save_assessment(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    scale: str,
    answers: Mapping[str, object],
    assessed_on: date,
    complete: bool,
    timepoint: str = Assessment.Timepoint.OTHER,
    visit: Visit | None = None,
    suggestions: Mapping[str, int] | None = None,
    details: Mapping[str, object] | None = None,
    assessment: Assessment | None = None,
) -> Assessment:
    """Save a draft or a complete assessment (new, or an existing draft being finished).

    A complete form is scored by the pure core and stores its scale version; a draft keeps only
    the answers given and never has a total. Raises ``InvalidAnswersError`` naming every bad item,
    and then nothing is written.
    """
    check_draft, score, version = _SCALES[Assessment.Scale(scale)]
    if complete:
        result = score(answers)
        clean, subscores, total = dict(result.answers), result.subscores, result.total
    else:
        clean, subscores, total = check_draft(answers), {}, None
    created = assessment is None
    if created:
        assessment = Assessment(patient=patient, scale=scale, created_by=actor)
    else:
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.visit = visit
    assessment.scale_version = version
    assessment.assessed_on = assessed_on
    assessment.timepoint = timepoint
    assessment.status = Assessment.Status.COMPLETE if complete else Assessment.Status.DRAFT
    assessment.answers = clean
    assessment.subscores = subscores
    assessment.total = total
    assessment.suggestions = dict(suggestions or {})
    assessment.details = dict(details or {})
    assessment.save()
    record_access(
        request,
        Action.CREATE if created else Action.UPDATE,
        assessment,
        user=actor,
        detail={"scale": scale, "status": assessment.status},
    )
    return assessment
