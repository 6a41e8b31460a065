"""Demo toxin history: lots, and several cycles over the past year for the clinical demo
patients (synthetic). Every session goes through ``record_injection_session``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from collis.demo.context import DemoContext
from collis.demo.patients import clinical_demo_patients
from collis.injections import dosing, safety
from collis.injections.actions import (
    check_plan,
    record_adverse_event,
    record_antibody_test,
    record_cycle_outcome,
    record_injection_session,
    report_side_effect,
    review_side_effect_report,
    set_gas_goal,
)
from collis.injections.catalogue import ensure_label_products
from collis.injections.models import InjectionSession, ToxinLot, ToxinProduct
from collis.providers.models import Clinician

# Patient index -> product; most get ona/abo/inco as in practice (clinical.md §3).
PRODUCT_BY_PATIENT = [
    "incobotulinumtoxinA",
    "onabotulinumtoxinA",
    "abobotulinumtoxinA",
    "onabotulinumtoxinA",
    "rimabotulinumtoxinB",
    "incobotulinumtoxinA",
    "onabotulinumtoxinA",
    "daxibotulinumtoxinA",
    "abobotulinumtoxinA",
    "incobotulinumtoxinA",
]
# Starting units per core muscle, in each product's own units, near the real-world per-muscle
# means (clinical.md §3: ona/inco ~20–50 U, abo ~70–150 U; Myobloc 2,500–5,000 U per session).
UNITS_PER_MUSCLE = {
    "onabotulinumtoxinA": 40,
    "incobotulinumtoxinA": 40,
    "abobotulinumtoxinA": 120,
    "rimabotulinumtoxinB": 900,
    "daxibotulinumtoxinA": 50,
}
DILUTION = {
    "onabotulinumtoxinA": Decimal(50),
    "incobotulinumtoxinA": Decimal(50),
    "abobotulinumtoxinA": Decimal(200),
    "rimabotulinumtoxinB": Decimal(5000),
    "daxibotulinumtoxinA": Decimal(50),
}
CYCLES = 4
# Days since the latest session, per patient: some are mid-cycle, some due soon.
LAST_SESSION_DAYS_AGO = [40, 70, 55, 30, 62, 47, 75, 35, 66, 52]


def seed(ctx: DemoContext) -> None:
    today = ctx.today
    ensure_label_products()
    for product in ToxinProduct.objects.all():
        for n, months in enumerate((8, 20)):
            ToxinLot.objects.get_or_create(
                product=product,
                lot_number=f"{product.brand[:3].upper()}{ctx.now.year % 100}-{n + 1:02d}",
                defaults={
                    "vial_size_units": product.vial_sizes[0] if product.vial_sizes else 100,
                    "expires_on": today + timedelta(days=30 * months),
                },
            )
    clinicians = list(Clinician.objects.filter(slug__in=["dr-maya-okafor", "dr-lucas-brennan"]))
    for index, patient in enumerate(clinical_demo_patients()):
        if InjectionSession.objects.filter(patient=patient).exists():
            continue
        code = PRODUCT_BY_PATIENT[index % len(PRODUCT_BY_PATIENT)]
        lot = ToxinLot.objects.filter(product__code=code).order_by("-expires_on").first()
        clinician = clinicians[index % len(clinicians)]
        muscles = dosing.suggestions_as_drafts(
            dosing.suggest_muscles(patient.diagnosis.components())
        )[:5]
        # Daxxify lasts longer (clinical.md §4: 20–24 weeks), so its cycles are spaced wider.
        spacing = 150 if code == "daxibotulinumtoxinA" else 91
        cycles = 3 if code == "daxibotulinumtoxinA" else CYCLES
        last = today - timedelta(days=LAST_SESSION_DAYS_AGO[index % len(LAST_SESSION_DAYS_AGO)])
        for cycle in range(cycles):
            injected_on = last - timedelta(
                days=spacing * (cycles - 1 - cycle) + ctx.rng.randint(0, 6)
            )
            base = UNITS_PER_MUSCLE[code]
            injections = [
                dosing.PlannedInjection(
                    d.muscle,
                    d.side,
                    int(base * (0.6 if d.muscle == "scm" else 1) * (1 + 0.1 * min(cycle, 2))),
                    sites=2 if d.muscle in {"splenius_capitis", "trapezius"} else 1,
                    guidance="emg" if index % 2 else "ultrasound",
                )
                for d in muscles
            ]
            screening = _screening(index, cycle, injected_on)
            warnings = check_plan(
                patient,
                lot,
                injected_on,
                injections,
                units_product=code,
                dilution_units_per_ml=DILUTION[code],
                screening=screening,
            )
            record_injection_session(
                None,
                actor=clinician.user,
                patient=patient,
                lot=lot,
                units_product=lot.product.code,
                injected_on=injected_on,
                dilution_units_per_ml=DILUTION[code],
                injections=injections,
                clinician=clinician,
                acknowledged=[str(w.code) for w in warnings],
                acknowledgement_reason=(
                    "Demo: discussed with the patient; tolerated before." if warnings else ""
                ),
                screening=screening,
            )
        _follow_up(ctx, index, patient, clinician)


def _screening(index: int, cycle: int, injected_on) -> safety.ScreeningAnswers:  # noqa: ANN001
    """The pre-injection checklist of each demo session (issue #13), through the same
    ``ScreeningAnswers`` the visit form builds. Only the first patient's first session is
    toxin-naive (the others were treated before the demo year); one patient takes an
    anticoagulant; one had cosmetic Botox elsewhere before the first demo session."""
    answers = dict.fromkeys(safety.SCREENING_QUESTIONS, False)
    if index % 4 == 2:
        answers["anticoagulants"] = True
    elsewhere: tuple[safety.ToxinElsewhere, ...] = ()
    if index == 3 and cycle == 0:
        elsewhere = (
            safety.ToxinElsewhere(
                "onabotulinumtoxinA",
                (injected_on - timedelta(days=120)).isoformat(),
                20,
                "cosmetic (frown lines)",
            ),
        )
    return safety.ScreeningAnswers(
        toxin_naive=index == 0 and cycle == 0,
        answers=answers,
        toxins_elsewhere=elsewhere,
    )


def _follow_up(ctx: DemoContext, index: int, patient, clinician) -> None:  # noqa: ANN001
    """Synthetic follow-up around the sessions: outcomes, goals, an adverse event, a report."""
    sessions = list(InjectionSession.objects.filter(patient=patient).order_by("injected_on"))
    actor = clinician.user
    for n, session in enumerate(sessions[:-1]):
        peak = session.injected_on + timedelta(days=35)
        record_cycle_outcome(
            None,
            actor=actor,
            session=session,
            assessed_on=peak,
            cgi_c=2 + (n + index) % 3,
            pgi_c=2 + (n + index + 1) % 3,
            pain_nrs_peak=3 + (n + index) % 4,
        )
        set_gas_goal(
            None,
            actor=actor,
            session=session,
            description="Read for 30 minutes without neck pain",
            attained_level=(n + index) % 3 - 1,
        )
    if index % 3 == 0 and len(sessions) > 1:
        record_adverse_event(
            None,
            actor=actor,
            session=sessions[-2],
            kind="dysphagia",
            severity="mild",
            reported_on=sessions[-2].injected_on + timedelta(days=12),
            onset_days=9,
            duration_days=14,
            note="Demo: soft foods for two weeks.",
        )
    if index == 2 and len(sessions) > 1:
        # Checked for neutralising antibodies when the response faded (issue #13).
        record_antibody_test(
            None,
            actor=actor,
            patient=patient,
            tested_on=sessions[-1].injected_on - timedelta(days=14),
            toxin_type="A",
            method="mpa",
            result="negative",
            note="Demo",
        )
    if index == 0:
        # The portal demo patient's own reports (/portal/side-effects/): one already read.
        sore = report_side_effect(
            None,
            actor=patient.user,
            patient=patient,
            symptoms=["injection_site_pain"],
            note="Demo: sore for two days",
        )
        review_side_effect_report(
            None, actor=actor, report=sore, review_note="Demo: expected, settles in days."
        )
    if index == 1:
        report_side_effect(
            None, actor=patient.user, patient=patient, symptoms=["voice_change"], note="Demo"
        )
