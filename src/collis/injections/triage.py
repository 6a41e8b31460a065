"""Read model of the clinic's side-effect triage list: open patient reports, emergencies first,
with the time since the last injection and the doses given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Value, When

from collis.injections.models import SideEffectReport


@dataclass(frozen=True)
class TriageRow:
    report: SideEffectReport
    days_since_injection: int | None
    doses: tuple[str, ...]
    product: str
    total_units: int | None


def triage_row(report: SideEffectReport, now: datetime) -> TriageRow:
    session = report.session
    if session is None or session.is_deleted:  # a session deleted as entered in error
        return TriageRow(report, None, (), "", None)
    doses = tuple(
        f"{i.get_muscle_display()} {i.side} {i.units} U" for i in session.injections.all()
    )
    days = (report.reported_at.date() - session.injected_on).days
    return TriageRow(report, days, doses, session.product.brand, session.total_units)


def triage_rows(now: datetime) -> list[TriageRow]:
    reports = (
        SideEffectReport.objects.filter(status=SideEffectReport.Status.OPEN)
        .select_related("patient", "session__product")
        .prefetch_related("session__injections")
        .annotate(
            emergency_first=Case(
                When(urgency=SideEffectReport.Urgency.EMERGENCY, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("emergency_first", "reported_at")
    )
    return [triage_row(r, now) for r in reports]
