"""Demo diaries with realistic cycles (synthetic): severity falls after each injection, is best
at weeks 4–6 and returns toward baseline by about 12 weeks (clinical.md §4) — except for one
patient whose effect wears off at about week 7. The demo login patient logs daily."""

from __future__ import annotations

from datetime import timedelta

from collis.demo.context import DemoContext
from collis.demo.patients import clinical_demo_patients
from collis.demo.scales import EARLY_WEARING_OFF_MRN
from collis.diary.actions import ProgrammeLine, assign_home_programme, set_adherence
from collis.diary.library import ensure_exercise_library
from collis.diary.models import DiaryEntry, Exercise, HomeProgramme
from collis.injections.models import InjectionSession

DAILY_MRN = "DEMO-0001"
DAILY_DAYS = 120


def expected_severity(
    days_since: int, *, baseline: float, best: float, wears_off_day: int
) -> float:
    """Severity on a day of the cycle: onset ~1 week, best from week 4, back at the end."""
    if days_since < 7:
        return baseline
    if days_since < 28:
        return baseline - (baseline - best) * (days_since - 7) / 21
    plateau_end = wears_off_day - 21
    if days_since < plateau_end:
        return best
    if days_since < wears_off_day:
        return best + (baseline - best) * (days_since - plateau_end) / 21
    return baseline


def seed(ctx: DemoContext) -> None:
    today = ctx.today
    ensure_exercise_library()
    for patient in clinical_demo_patients():
        if DiaryEntry.objects.filter(patient=patient).exists():
            continue
        sessions = list(
            InjectionSession.objects.filter(patient=patient)
            .order_by("injected_on")
            .values_list("injected_on", flat=True)
        )
        if not sessions:
            continue
        early = patient.mrn == EARLY_WEARING_OFF_MRN
        wears_off_day = 49 if early else 84 + ctx.rng.randint(0, 10)
        baseline, best = 7.5 + ctx.rng.uniform(-0.5, 1), 3 + ctx.rng.uniform(-0.5, 1)
        tremor = bool(patient.diagnosis.has_tremor)
        start = sessions[0] - timedelta(days=14)
        day = start
        rows = []
        while day <= today:
            daily = patient.mrn == DAILY_MRN and (today - day).days < DAILY_DAYS
            last = max((s for s in sessions if s <= day), default=None)
            since = (day - last).days if last else 0
            mean = expected_severity(
                since, baseline=baseline, best=best, wears_off_day=wears_off_day
            )
            severity = max(0, min(10, round(mean + ctx.rng.uniform(-1, 1))))
            pain = max(0, min(10, severity - 1 + ctx.rng.randint(-1, 1)))
            rows.append(
                DiaryEntry(
                    patient=patient,
                    entry_date=day,
                    period=DiaryEntry.Period.DAY if daily else DiaryEntry.Period.WEEK,
                    severity=severity,
                    pain=pain,
                    tremor=min(3, severity // 3) if tremor else 0,
                    used_sensory_trick=severity >= 6,
                    note="Worse after a long day at the computer." if severity >= 8 else "",
                )
            )
            day += timedelta(days=1 if daily else 7)
        # Bulk insert: seeding is one audited batch, not thousands of per-entry audit rows.
        DiaryEntry.objects.bulk_create(rows)
    _seed_programme(ctx)


def _seed_programme(ctx: DemoContext) -> None:
    patients = clinical_demo_patients()
    if not patients or HomeProgramme.objects.filter(patient=patients[0]).exists():
        return
    patient = patients[0]
    exercises = {e.slug: e for e in Exercise.objects.all()}
    plan = [
        ("chin-tuck", "Twice a day", "10 repetitions, hold 5 s"),
        ("turn-away", "Twice a day", "3 × 30 s"),
        ("isometric-resistance", "Once a day", "5 × 5 s"),
        ("heat-pack", "Evenings when stiff", "15–20 minutes"),
        ("gentle-massage", "3 times a week", "10 minutes"),
    ]
    therapist = patient.diagnosis.treating_clinician
    actor = therapist.user if therapist else None
    programme = assign_home_programme(
        None,
        actor=actor,
        patient=patient,
        assigned_by=therapist,
        starts_on=ctx.today - timedelta(days=60),
        notes="Stop any exercise that causes sharp pain. Use heat before stretching.",
        lines=[ProgrammeLine(exercises[s], f, d) for s, f, d in plan if s in exercises],
    )
    for item in programme.items.all():
        for back in range(1, 7):
            if ctx.rng.random() < 0.7:
                set_adherence(
                    None,
                    actor=actor,
                    item=item,
                    done_on=ctx.today - timedelta(days=back),
                    done=True,
                    today=ctx.today,
                )
