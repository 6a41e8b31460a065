"""Read model of one patient's whole chart: timeline, injection cycles and charts.

Callers check access first (``access.py``) and audit the read; this module only loads and shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from collis.diary.models import DiaryEntry
from collis.injections.cycles import CycleSession, CycleSummary, ScorePoint, summarise_cycles
from collis.injections.models import InjectionSession
from collis.lib.charts import Chart, Marker, Series, line_chart
from collis.patients.models import Patient
from collis.recordings.record import posture_events
from collis.scales.models import Assessment

DIARY_CHART_DAYS = 180


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    kind: str  # visit, injection, scale, posture, diary
    title: str
    detail: str
    url: str | None = None


def injection_sessions(patient: Patient):
    return (
        InjectionSession.objects.filter(patient=patient)
        .select_related("product", "lot", "cycle_report")
        .prefetch_related("injections")
        .order_by("injected_on", "pk")
    )


def complete_twstrs(patient: Patient):
    return Assessment.objects.filter(
        patient=patient, scale=Assessment.Scale.TWSTRS, status=Assessment.Status.COMPLETE
    ).order_by("assessed_on", "pk")


def build_cycles(patient: Patient, sessions=None) -> list[CycleSummary]:
    sessions = list(sessions if sessions is not None else injection_sessions(patient))
    cycle_sessions = []
    for s in sessions:
        report = getattr(s, "cycle_report", None)
        cycle_sessions.append(
            CycleSession(
                s.pk,
                s.injected_on,
                s.product.brand,
                s.total_units,
                s.product.unit_label,
                s.product.min_interval_days,
                report.onset_week if report else None,
                report.peak_week if report else None,
                report.wearing_off_week if report else None,
            )
        )
    scores = [ScorePoint(a.assessed_on, a.total, a.timepoint) for a in complete_twstrs(patient)]
    diary = list(DiaryEntry.objects.filter(patient=patient).values_list("entry_date", "severity"))
    return summarise_cycles(cycle_sessions, scores, diary)


def twstrs_chart(patient: Patient, cycles: list[CycleSummary]) -> Chart:
    scores = list(complete_twstrs(patient))
    baseline = tuple((c.baseline.on, c.baseline.total) for c in cycles if c.baseline)
    peak = tuple((c.peak.on, c.peak.total) for c in cycles if c.peak)
    used = {d for d, _ in baseline + peak}
    other = tuple((a.assessed_on, a.total) for a in scores if a.assessed_on not in used)
    series = [Series("Baseline (injection day)", baseline), Series("Peak (4–6 weeks)", peak)]
    if other:
        series.append(Series("Other TWSTRS", other))
    return line_chart(
        "TWSTRS total across injection cycles",
        series,
        y_min=0,
        y_max=85,
        y_label="TWSTRS total (0–85, lower is better)",
        markers=[Marker(c.session.injected_on, "Injection") for c in cycles],
    )


def diary_chart(patient: Patient, *, days: int = DIARY_CHART_DAYS, markers=()) -> Chart:
    since = timezone.localdate() - timedelta(days=days)
    entries = DiaryEntry.objects.filter(patient=patient, entry_date__gte=since).order_by(
        "entry_date"
    )
    pain = tuple((e.entry_date, e.pain) for e in entries)
    severity = tuple((e.entry_date, e.severity) for e in entries)
    return line_chart(
        f"Symptom diary, last {days} days",
        [Series("Severity", severity), Series("Pain", pain)],
        y_min=0,
        y_max=10,
        y_label="0 none – 10 worst",
        markers=[m for m in markers if m.on >= since],
    )


def build_timeline(patient: Patient, *, limit_diary: int = 8) -> list[TimelineEvent]:
    """Return visits, injections, scale scores and recent diary entries, newest first."""
    events: list[TimelineEvent] = []
    for visit in patient.visits.select_related("clinician"):
        events.append(
            TimelineEvent(
                timezone.localtime(visit.occurred_at).date(),
                "visit",
                visit.get_kind_display(),
                f"with {visit.clinician.display_name}",
                reverse("patients:visit-detail", args=[visit.pk]),
            )
        )
    for s in injection_sessions(patient):
        events.append(
            TimelineEvent(
                s.injected_on,
                "injection",
                f"{s.product.brand} {s.total_units} units",
                ", ".join(
                    f"{i.get_muscle_display()} {i.side} {i.units}" for i in s.injections.all()
                ),
                reverse("injections:session-detail", args=[s.pk]),
            )
        )
    for a in patient.assessments.all():
        score = f"total {a.total}" if a.is_complete else "draft, not scored"
        events.append(
            TimelineEvent(
                a.assessed_on,
                "scale",
                f"{a.get_scale_display()} ({a.get_timepoint_display().split(' (')[0].lower()})",
                score,
                reverse("scales:assessment-detail", args=[a.pk]),
            )
        )
    for e in patient.diary_entries.all()[:limit_diary]:
        events.append(
            TimelineEvent(
                e.entry_date,
                "diary",
                "Diary" + (" (week)" if e.period == DiaryEntry.Period.WEEK else ""),
                f"severity {e.severity}/10, pain {e.pain}/10"
                + (f" – {e.note[:80]}" if e.note else ""),
            )
        )
    for p in posture_events(patient):
        events.append(TimelineEvent(p.on, "posture", p.title, p.detail, p.url))
    order = {"visit": 0, "injection": 1, "scale": 2, "posture": 3, "diary": 4}
    return sorted(events, key=lambda e: (e.on, -order[e.kind]), reverse=True)
