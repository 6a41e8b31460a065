"""Demo TWSTRS (and a few Tsui) scores: baseline on each injection day and a peak 5 weeks
later (clinical.md §4), with synthetic improvement of about a third."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from collis.demo.context import DemoContext
from collis.demo.patients import clinical_demo_patients
from collis.injections.models import InjectionSession
from collis.patients.actions import record_visit
from collis.patients.models import Visit
from collis.scales import tsui, twstrs
from collis.scales.actions import save_assessment
from collis.scales.models import Assessment

EARLY_WEARING_OFF_MRN = "DEMO-0002"
PEAK_DAY = 35  # clinical.md §4: reassess at 4–6 weeks


def _fill(items, target: int, rng) -> dict[str, int]:
    """Spread ``target`` points over ``items`` at random, within each item's range."""
    answers = {item.key: item.minimum for item in items}
    remaining = target - sum(item.minimum * item.weight for item in items)
    while remaining > 0:
        options = [i for i in items if answers[i.key] < i.maximum and i.weight <= remaining]
        if not options:
            break
        item = rng.choice(options)
        answers[item.key] += 1
        remaining -= item.weight
    return answers


def twstrs_answers(total: int, rng) -> dict[str, int]:
    severity = min(35, round(total * 0.5))
    disability = min(30, round(total * 0.3))
    pain = min(20, total - severity - disability)
    groups = {
        twstrs.SEVERITY: severity,
        twstrs.DISABILITY: disability,
        twstrs.PAIN: pain,
    }
    answers: dict[str, int] = {}
    for group, target in groups.items():
        answers |= _fill([i for i in twstrs.ITEMS if i.group == group], target, rng)
    return answers


def seed(ctx: DemoContext) -> None:
    today = ctx.today
    for patient in clinical_demo_patients():
        if Assessment.objects.filter(patient=patient).exists():
            continue
        early = patient.mrn == EARLY_WEARING_OFF_MRN
        sessions = InjectionSession.objects.filter(patient=patient).select_related("visit")
        baseline_total = 40 + ctx.rng.randint(0, 10)
        for number, session in enumerate(sessions.order_by("injected_on")):
            actor = session.created_by
            baseline_total = max(20, baseline_total - ctx.rng.randint(0, 3))
            save_assessment(
                None,
                actor=actor,
                patient=patient,
                scale=Assessment.Scale.TWSTRS,
                answers=twstrs_answers(baseline_total, ctx.rng),
                assessed_on=session.injected_on,
                complete=True,
                timepoint=Assessment.Timepoint.BASELINE,
                visit=session.visit,
            )
            if number == 0:
                tsui_answers = {
                    "rotation": 2,
                    "tilt": 1,
                    "antero_retrocollis": 0,
                    "posture_duration": 2,
                    "shoulder_elevation": 1,
                    "tremor_severity": 1 if patient.diagnosis.has_tremor else 0,
                    "tremor_duration": 1 if patient.diagnosis.has_tremor else 0,
                }
                save_assessment(
                    None,
                    actor=actor,
                    patient=patient,
                    scale=Assessment.Scale.TSUI,
                    answers=tsui.score_tsui(tsui_answers).answers,
                    assessed_on=session.injected_on,
                    complete=True,
                    timepoint=Assessment.Timepoint.BASELINE,
                    visit=session.visit,
                )
            peak_on = session.injected_on + timedelta(days=PEAK_DAY + ctx.rng.randint(-3, 3))
            if peak_on > today:
                continue
            review = record_visit(
                None,
                actor=actor,
                patient=patient,
                clinician=session.visit.clinician,
                occurred_at=timezone.make_aware(datetime.combine(peak_on, time(10, 30))),
                kind=Visit.Kind.REVIEW,
                notes="Synthetic review visit.",
            )
            improvement = (0.22 if early else 0.35) + ctx.rng.uniform(-0.05, 0.05)
            save_assessment(
                None,
                actor=actor,
                patient=patient,
                scale=Assessment.Scale.TWSTRS,
                answers=twstrs_answers(round(baseline_total * (1 - improvement)), ctx.rng),
                assessed_on=peak_on,
                complete=True,
                timepoint=Assessment.Timepoint.PEAK,
                visit=review,
            )
