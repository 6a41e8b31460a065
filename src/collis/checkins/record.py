"""Read model: a patient's check-ins as injection cycles, charts and the wearing-off flag.

Callers checked access and audit their own page read; these functions only load and shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from collis.checkins.curve import CheckinPoint, Cycle, build_cycles
from collis.checkins.models import CheckinSchedule, HomeCheckin
from collis.diary.models import DiaryEntry
from collis.injections.models import InjectionSession
from collis.lib.charts import Chart, Series, line_chart
from collis.patients.ports import ListFlag

SUGGESTION = (
    "Suggestion: the effect may be wearing off early this cycle; consider reviewing the dose or "
    "the interval at the next visit. This is decision support, not an order."
)


def fraction() -> float:
    return float(getattr(settings, "CHECKINS_WEAR_OFF_FRACTION", 0.8))


def before_week() -> float:
    return float(getattr(settings, "CHECKINS_WEAR_OFF_BEFORE_WEEK", 10))


_POINT_FIELDS = (
    "patient_id",
    "recorded_at",
    "resting_rotation_deg",
    "resting_laterocollis_deg",
    "resting_flexion_deg",
    "tremor_amplitude_deg",
)


def _point(checkin: HomeCheckin) -> CheckinPoint:
    return CheckinPoint(
        timezone.localtime(checkin.recorded_at).date(),
        checkin.resting_rotation_deg,
        checkin.resting_laterocollis_deg,
        checkin.resting_flexion_deg,
        checkin.tremor_amplitude_deg,
        checkin.pk,
    )


def points(patient) -> list[CheckinPoint]:  # noqa: ANN001
    rows = HomeCheckin.objects.filter(patient=patient, result__isnull=False).only(*_POINT_FIELDS)
    return [_point(c) for c in rows.order_by("recorded_at", "pk")]


def injection_dates(patient) -> list[date]:  # noqa: ANN001
    return list(
        InjectionSession.objects.filter(patient=patient)
        .order_by("injected_on")
        .values_list("injected_on", flat=True)
    )


def cycles(patient) -> list[Cycle]:  # noqa: ANN001
    return build_cycles(
        injection_dates(patient), points(patient), fraction=fraction(), before_week=before_week()
    )


def _recent_flag(patient_cycles: list[Cycle]) -> Cycle | None:
    """The newest flagged cycle among the last two, or None."""
    flagged = [c for c in patient_cycles[-2:] if c.flagged]
    return flagged[-1] if flagged else None


def wearing_off_flag(patient) -> Cycle | None:  # noqa: ANN001
    """The newest flagged cycle among the last two, or None (for worklists and recall lists)."""
    return _recent_flag(cycles(patient))


def _newest_flagged_checkins(patient_ids) -> dict[int, int]:  # noqa: ANN001
    """{patient id: their newest analysed check-in} for those of ``patient_ids`` whose check-ins
    carry the early wearing-off flag: two queries whatever the number of patients."""
    by_patient: dict[int, list[CheckinPoint]] = {}
    analysed = HomeCheckin.objects.filter(patient_id__in=patient_ids, result__isnull=False)
    for checkin in analysed.only(*_POINT_FIELDS).order_by("recorded_at", "pk"):
        by_patient.setdefault(checkin.patient_id, []).append(_point(checkin))
    injected: dict[int, list[date]] = {}
    sessions = InjectionSession.objects.filter(patient_id__in=list(by_patient))
    sessions = sessions.order_by("injected_on")
    for patient_id, day in sessions.values_list("patient_id", "injected_on"):
        injected.setdefault(patient_id, []).append(day)
    newest: dict[int, int] = {}
    for patient_id, patient_points in by_patient.items():
        cycles_ = build_cycles(
            injected.get(patient_id, []),
            patient_points,
            fraction=fraction(),
            before_week=before_week(),
        )
        if _recent_flag(cycles_) and patient_points[-1].checkin_id is not None:
            newest[patient_id] = patient_points[-1].checkin_id
    return newest


def flagged_patient_ids(patient_ids) -> set[int]:  # noqa: ANN001
    """Which of ``patient_ids`` carry the early wearing-off flag (for list pages)."""
    return set(_newest_flagged_checkins(patient_ids))


RECALL_NOTE = (
    "Home check-ins suggest early wearing-off: consider reviewing the dose or interval "
    "(a suggestion, not an order)."
)


def recall_notes(patient_ids: set[int]) -> dict[int, str]:
    """The recall list's note for patients whose check-ins carry the wearing-off flag."""
    return dict.fromkeys(flagged_patient_ids(patient_ids), RECALL_NOTE)


def patient_list_flags(patient_ids: set[int]) -> dict[int, list[ListFlag]]:
    """Flags for the clinician's patient list: check-ins waiting for review (linking to the
    oldest one's review) and early wearing-off (linking to the newest check-in's review, which
    shows the suggestion). A few queries for the whole page, whatever its length."""
    waiting: dict[int, list[int]] = {}
    for patient_id, pk in (
        HomeCheckin.objects.filter(patient_id__in=patient_ids, reviewed_at__isnull=True)
        .order_by("recorded_at", "pk")
        .values_list("patient_id", "pk")
    ):
        waiting.setdefault(patient_id, []).append(pk)
    flags: dict[int, list[ListFlag]] = {}
    for patient_id, pks in waiting.items():
        text = (
            "Home check-in to review" if len(pks) == 1 else f"{len(pks)} home check-ins to review"
        )
        url = reverse("checkins:review-detail", args=[pks[0]])
        flags.setdefault(patient_id, []).append(ListFlag(text, url))
    for patient_id, newest in _newest_flagged_checkins(patient_ids).items():
        flags.setdefault(patient_id, []).append(
            ListFlag(
                "Early wearing-off (suggestion)",
                reverse("checkins:review-detail", args=[newest]),
                urgent=True,
            )
        )
    return flags


@dataclass(frozen=True)
class Curves:
    cycles: list[Cycle]
    charts: list[Chart]


def _cycle_name(cycle: Cycle) -> str:
    return f"Cycle from {cycle.injected_on:%Y-%m-%d}"


def curves(patient) -> Curves:  # noqa: ANN001
    """Charts against weeks since injection, one line per cycle (overlaid)."""
    all_cycles = cycles(patient)
    diary = list(DiaryEntry.objects.filter(patient=patient).order_by("entry_date"))
    measures = (
        ("Resting head turn (rotation)", "rotation_deg", "degrees (+ left)", -60, 60),
        ("Resting head tilt (laterocollis)", "laterocollis_deg", "degrees (+ left)", -45, 45),
        ("Resting chin down/up (flexion)", "flexion_deg", "degrees (+ chin down)", -45, 45),
        ("Tremor at rest", "tremor_amplitude_deg", "degrees", 0, 10),
    )
    charts = []
    for title, attr, label, low, high in measures:
        series = []
        for cycle in all_cycles:
            pts = [
                (round(cycle.weeks(p), 2), float(getattr(p, attr)))
                for p in cycle.points
                if getattr(p, attr) is not None
            ]
            if cycle.baseline is not None and getattr(cycle.baseline, attr) is not None:
                pts.insert(0, (0.0, float(getattr(cycle.baseline, attr))))
            series.append(Series(_cycle_name(cycle), tuple(pts)))
        charts.append(_chart(title, series, low, high, label))
    for title, attr in (("Diary: severity", "severity"), ("Diary: pain", "pain")):
        series = []
        for cycle in all_cycles:
            end = cycle.ends_on or (cycle.injected_on + timedelta(weeks=26))
            pts = tuple(
                (round((e.entry_date - cycle.injected_on).days / 7, 2), float(getattr(e, attr)))
                for e in diary
                if cycle.injected_on <= e.entry_date < end
            )
            series.append(Series(_cycle_name(cycle), pts))
        charts.append(_chart(title, series, 0, 10, "0–10"))
    return Curves(all_cycles, charts)


def _chart(title: str, series: list[Series], low: float, high: float, label: str) -> Chart:
    return line_chart(
        title,
        series,
        y_min=low,
        y_max=high,
        y_label=label,
        x_label="Weeks since injection",
        x_unit=" wk",
        description="" if any(s.points for s in series) else "No check-ins yet.",
    )


def due_dates(patient, today: date) -> list[date]:  # noqa: ANN001
    """The check-in dates of the current cycle up to ``today`` (default weekly from week 2)."""
    schedule = CheckinSchedule.objects.filter(patient=patient).first()
    if schedule is not None and not schedule.active:
        return []
    start_week = schedule.start_week if schedule else 2
    interval = schedule.interval_days if schedule else 7
    injected = injection_dates(patient)
    if not injected:
        return []
    last = injected[-1]
    day = last + timedelta(weeks=start_week)
    out = []
    while day <= today:
        out.append(day)
        day += timedelta(days=interval)
    return out


def missed(patient, today: date) -> list[date]:  # noqa: ANN001
    """Due dates without a check-in within the interval that followed them."""
    schedule = CheckinSchedule.objects.filter(patient=patient).first()
    interval = schedule.interval_days if schedule else 7
    done = {
        timezone.localtime(c).date()
        for c in HomeCheckin.objects.filter(patient=patient).values_list("recorded_at", flat=True)
    }
    out = []
    for due in due_dates(patient, today):
        window = {due + timedelta(days=i) for i in range(interval)}
        if not (window & done) and due + timedelta(days=interval) <= today:
            out.append(due)
    return out
