"""Read model of a patient's posture analyses, for other apps' pages (record, TWSTRS, summary).

Callers have checked access and audit their own page read; these functions only load and shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from collis.lib.charts import Chart, Series, line_chart
from collis.recordings import presentation
from collis.recordings.models import PostureRecording


@dataclass(frozen=True)
class PostureEvent:
    """One recording as a line of the patient's timeline."""

    on: date
    title: str
    detail: str
    url: str


def analysed(queryset: QuerySet[PostureRecording]) -> QuerySet[PostureRecording]:
    return queryset.filter(result__isnull=False)


def latest_analysis_of_visit(visit) -> PostureRecording | None:  # noqa: ANN001 (patients.Visit)
    """Return the newest analysed recording of ``visit``, or None."""
    return analysed(visit.posture_recordings.all()).order_by("-created_at", "-pk").first()


def visit_twstrs_severity(visit) -> dict[str, Any]:  # noqa: ANN001
    """Return the ``twstrs_severity`` of the visit's newest analysis, or {} if there is none."""
    recording = latest_analysis_of_visit(visit)
    if recording is None:
        return {}
    return dict(recording.result.get("twstrs_severity") or {})


def visit_twstrs_caveats(visit) -> dict[str, str]:  # noqa: ANN001
    """Return {item: caveats} of the visit's newest analysis's suggestions (basis, band edge)."""
    recording = latest_analysis_of_visit(visit)
    if recording is None:
        return {}
    return {s["item"]: presentation.suggestion_caveat(s) for s in recording.suggestions or ()}


def visit_angles(visit, translate=None) -> tuple[tuple[str, str], ...]:  # noqa: ANN001
    """Return ("Rotation", "24° chin toward the left shoulder")-style pairs for the visit,
    through ``translate`` (e.g. gettext) when given."""
    recording = latest_analysis_of_visit(visit)
    if recording is None:
        return ()
    if translate is None:
        return presentation.describe_angles(recording.result.get("angles"))
    return presentation.describe_angles(recording.result.get("angles"), translate)


def posture_series(patient) -> list[Series]:  # noqa: ANN001 (patients.Patient)
    """Return one Series per head angle across the patient's visits (newest analysis per day)."""
    rows = (
        analysed(PostureRecording.objects.filter(patient=patient))
        .select_related("visit")
        .order_by("visit__occurred_at", "created_at", "pk")
    )
    return presentation.angles_across_visits(
        (
            timezone.localtime(r.visit.occurred_at).date(),
            {
                "rotation_deg": r.rotation_deg,
                "laterocollis_deg": r.laterocollis_deg,
                "flexion_deg": r.flexion_deg,
            },
        )
        for r in rows
    )


def posture_events(patient) -> list[PostureEvent]:  # noqa: ANN001
    """Return one timeline event per recording of the patient, whatever its state."""
    events = []
    for r in PostureRecording.objects.filter(patient=patient).select_related("visit", "job"):
        if r.is_analysed:
            detail = presentation.short_angles(r.result.get("angles"))
        else:
            detail = r.status_label.lower()
        events.append(
            PostureEvent(
                timezone.localtime(r.visit.occurred_at).date(),
                f"Posture analysis ({r.get_kind_display().lower()})",
                detail,
                r.get_absolute_url(),
            )
        )
    return events


def posture_chart(patient) -> Chart:  # noqa: ANN001 (patients.Patient)
    """Return the chart of head angles across the patient's visits."""
    series = posture_series(patient)
    return line_chart(
        "Head posture angles across visits",
        series,
        y_min=-90,
        y_max=90,
        y_label="degrees (+ left / chin down)",
        # The description doubles as the SVG's <desc>: only the empty state may say "none".
        description="" if any(s.points for s in series) else "No posture analyses recorded yet.",
    )
