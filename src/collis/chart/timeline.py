"""Read model of one patient's whole chart: timeline, injection cycles and charts.

Callers check access first (``access.py``) and audit the read; this module only loads and shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from collis.diary.models import DiaryEntry
from collis.injections.cycles import CycleSession, CycleSummary, ScorePoint, summarise_cycles
from collis.injections.models import (
    AdverseEvent,
    AntibodyTest,
    CycleOutcome,
    InjectionSession,
    SideEffectReport,
)
from collis.injections.response import CycleResponse, assess_response
from collis.lib.charts import Chart, Marker, Series, line_chart
from collis.lib.i18n import month_abbreviations
from collis.patients.models import Patient
from collis.recordings.record import posture_events, posture_series
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
    series = [
        Series(_("Baseline (injection day)"), baseline),
        Series(_("Peak (4–6 weeks)"), peak),
    ]
    if other:
        series.append(Series(_("Other TWSTRS"), other))
    return line_chart(
        _("TWSTRS total across injection cycles"),
        series,
        y_min=0,
        y_max=85,
        y_label=_("TWSTRS total (0–85, lower is better)"),
        x_label=_("Date"),
        description="" if baseline or peak or other else _("No data yet."),
        markers=[Marker(c.session.injected_on, _("Injection")) for c in cycles],
        month_names=month_abbreviations(),
    )


def diary_chart(patient: Patient, *, days: int = DIARY_CHART_DAYS, markers=()) -> Chart:
    since = timezone.localdate() - timedelta(days=days)
    entries = DiaryEntry.objects.filter(patient=patient, entry_date__gte=since).order_by(
        "entry_date"
    )
    pain = tuple((e.entry_date, e.pain) for e in entries)
    severity = tuple((e.entry_date, e.severity) for e in entries)
    return line_chart(
        _("Symptom diary, last %(days)s days") % {"days": days},
        [Series(_("Severity"), severity), Series(_("Pain"), pain)],
        y_min=0,
        y_max=10,
        y_label=_("0 none – 10 worst"),
        x_label=_("Date"),
        description="" if entries else _("No data yet."),
        markers=[m for m in markers if m.on >= since],
        month_names=month_abbreviations(),
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
    events.extend(toxin_care_events(patient))
    order = {
        "visit": 0,
        "injection": 1,
        "adverse": 2,
        "report": 2,
        "outcome": 3,
        "antibody": 3,
        "scale": 4,
        "posture": 5,
        "diary": 6,
    }
    return sorted(events, key=lambda e: (e.on, -order[e.kind]), reverse=True)


def toxin_care_events(patient: Patient) -> list[TimelineEvent]:
    """Adverse events, patient side-effect reports, outcome measures and antibody tests."""
    events = []
    for ae in AdverseEvent.objects.filter(session__patient=patient).select_related("session"):
        events.append(
            TimelineEvent(
                ae.reported_on,
                "adverse",
                f"Adverse event: {ae.get_kind_display()}",
                f"{ae.get_severity_display().lower()}, after the session of "
                f"{ae.session.injected_on:%Y-%m-%d}",
                reverse("injections:session-detail", args=[ae.session_id]),
            )
        )
    for r in SideEffectReport.objects.filter(patient=patient):
        events.append(
            TimelineEvent(
                timezone.localtime(r.reported_at).date(),
                "report",
                "Side effect reported in the portal"
                + (" (emergency)" if r.urgency == SideEffectReport.Urgency.EMERGENCY else ""),
                ", ".join(r.symptom_labels()) + f" – {r.get_status_display().lower()}",
                reverse("injections:side-effect-review", args=[r.pk]),
            )
        )
    for o in CycleOutcome.objects.filter(session__patient=patient):
        parts = [
            f"{name} {value}"
            for name, value in (
                ("CGI-C", o.cgi_c),
                ("PGI-C", o.pgi_c),
                ("pain NRS", o.pain_nrs_peak),
                ("CDIP-58", o.cdip58_score),
            )
            if value is not None
        ]
        events.append(
            TimelineEvent(
                o.assessed_on,
                "outcome",
                "Outcome measures",
                ", ".join(parts) or "no ratings",
                reverse("injections:session-detail", args=[o.session_id]),
            )
        )
    for t in AntibodyTest.objects.filter(patient=patient):
        events.append(
            TimelineEvent(
                t.tested_on,
                "antibody",
                f"Antibody test (type {t.toxin_type})",
                f"{t.get_result_display()} – {t.get_method_display()}",
                reverse("patients:toxin-response", args=[patient.pk]),
            )
        )
    return events


@dataclass(frozen=True)
class ResponseRow:
    cycle: CycleSummary
    doses: tuple[tuple[str, int], ...]  # (muscle and side, units)
    pgi_c: int | None
    cgi_c: int | None
    posture: dict[str, float]
    switch_reason: str


def response_overview(patient: Patient) -> dict:
    """Return the cycle-by-cycle response table (dose per muscle beside TWSTRS and posture),
    the response assessment and the antibody tests."""
    sessions = list(injection_sessions(patient).select_related("outcome"))
    cycles = build_cycles(patient, sessions)
    by_id = {s.pk: s for s in sessions}
    angles = posture_series(patient)
    rows = []
    for c in cycles:
        s = by_id[c.session.session_id]
        outcome = getattr(s, "outcome", None)
        window_end = c.ends_on or (c.session.injected_on + timedelta(days=120))
        posture = {}
        for series in angles:
            inside = [v for d, v in series.points if c.session.injected_on <= d < window_end]
            if inside:
                posture[series.name] = inside[-1]
        rows.append(
            ResponseRow(
                c,
                tuple((f"{i.get_muscle_display()} {i.side}", i.units) for i in s.injections.all()),
                outcome.pgi_c if outcome else None,
                outcome.cgi_c if outcome else None,
                posture,
                s.get_switch_reason_display() if s.switch_reason else "",
            )
        )
    assessment = assess_response(
        [
            CycleResponse(
                r.cycle.session.session_id,
                r.cycle.session.injected_on,
                r.cycle.session.product,
                r.cycle.improvement_percent,
                r.pgi_c,
                r.cgi_c,
            )
            for r in rows
        ]
    )
    return {
        "rows": rows,
        "assessment": assessment,
        "antibody_tests": list(patient.antibody_tests.all()),
        "twstrs_chart": twstrs_chart(patient, cycles),
        "dose_chart": dose_chart(sessions),
    }


def dose_chart(sessions) -> Chart:  # noqa: ANN001 (InjectionSession rows with injections)
    """Units per muscle and side at each session, one line per muscle (each product's own units:
    a product switch is marked, since the lines are not comparable across it)."""
    points: dict[str, list] = {}
    for s in sessions:
        for i in s.injections.all():
            points.setdefault(f"{i.get_muscle_display()} {i.side}", []).append(
                (s.injected_on, i.units)
            )
    top = max((u for p in points.values() for _, u in p), default=1)
    markers = []
    previous = None
    for s in sessions:
        if previous is not None and s.product_id != previous:
            markers.append(Marker(s.injected_on, f"Switch to {s.product.brand}"))
        previous = s.product_id
    return line_chart(
        "Dose per muscle across cycles",
        [Series(name, tuple(p)) for name, p in sorted(points.items())],
        y_min=0,
        y_max=top * 1.1,
        y_label="units (each product's own)",
        markers=markers,
    )
