"""The demo clinic obeys the app's own rules (issue #11 defect 14): each check below is a rule
the app enforces on real bookings, run over every seeded row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from collis.diary.models import DiaryEntry
from collis.injections.models import InjectionSession
from collis.lib.clinic_time import to_clinic
from collis.patients.models import Diagnosis
from collis.scheduling.actions import ON_THE_DAY
from collis.scheduling.models import Appointment, BookingPolicy, InjectionRecall
from collis.scheduling.recall import clinic_today, due_recalls

pytestmark = pytest.mark.django_db


def test_demo_data_passes_the_apps_rules(demo_data):
    now = timezone.now()
    today = clinic_today()
    problems: list[str] = []
    active = list(
        Appointment.objects.active().select_related(
            "patient", "clinician", "location", "appointment_type"
        )
    )
    for a in active:
        day = to_clinic(a.start).date()
        if a.start > now and a.status in ON_THE_DAY:
            problems.append(f"{a.pk}: {a.status} before its day")
        if a.start < now - timedelta(days=1) and a.status in ("requested", "confirmed"):
            problems.append(f"{a.pk}: still {a.status} long after it happened")
        if not a.clinician.locations.filter(pk=a.location_id).exists():
            problems.append(f"{a.pk}: {a.clinician} does not work at {a.location}")
        if not a.appointment_type.clinicians.filter(pk=a.clinician_id).exists():
            problems.append(f"{a.pk}: {a.clinician} does not offer {a.appointment_type}")
        if a.appointment_type.for_new_patients and not a.clinician.accepting_new_patients:
            problems.append(f"{a.pk}: new patient with a clinician closed to them")
        if (
            a.appointment_type.for_new_patients
            and a.patient.visits.filter(occurred_at__lt=a.start).exists()
        ):
            problems.append(f"{a.pk}: a first visit for {a.patient}, who was seen before")
        if a.appointment_type.is_reinjection and a.start > now:
            recall = InjectionRecall.objects.filter(patient=a.patient).first()
            if recall is not None and day < recall.due_on:
                problems.append(f"{a.pk}: injection on {day}, next allowed {recall.due_on}")
            last = (
                InjectionSession.objects.filter(patient=a.patient)
                .select_related("product")
                .order_by("-injected_on")
                .first()
            )
            if last and day < last.injected_on + timedelta(days=last.product.min_interval_days):
                problems.append(f"{a.pk}: injection {day} too soon after {last.injected_on}")
    by_patient: dict[int, list[Appointment]] = {}
    for a in sorted(active, key=lambda a: a.start):
        for other in by_patient.get(a.patient_id, []):
            if other.end > a.start:
                problems.append(f"{a.pk} overlaps {other.pk} for the same patient")
        by_patient.setdefault(a.patient_id, []).append(a)
    for patient_id, rows in by_patient.items():
        injections = [to_clinic(a.start).date() for a in rows if a.appointment_type.is_reinjection]
        for earlier, later in zip(injections, injections[1:], strict=False):
            if (later - earlier).days < 84:  # the usual minimum interval (clinical.md §3)
                problems.append(f"patient {patient_id}: injections {earlier} and {later}")
    # Visits a clinic would book for one person (the crawl showed a patient with five first
    # consultations and another with six follow-ups in three weeks).
    treated = set(
        Diagnosis.objects.filter(treating_clinician__isnull=False).values_list("patient", flat=True)
    )
    for patient_id, rows in by_patient.items():
        kinds: dict[str, list] = {}
        for a in rows:
            kinds.setdefault(a.appointment_type.slug, []).append(to_clinic(a.start).date())
        if len(kinds.get("new-patient", [])) > 1:
            problems.append(f"patient {patient_id}: {len(kinds['new-patient'])} first visits")
        if kinds.get("injection-follow-up") and patient_id not in treated:
            problems.append(f"patient {patient_id}: an injection follow-up, never treated")
        for slug, gap in (("injection-follow-up", 28), ("physical-therapy", 6)):
            days = kinds.get(slug, [])
            for earlier, later in zip(days, days[1:], strict=False):
                if (later - earlier).days < gap:
                    problems.append(f"patient {patient_id}: {slug} {earlier} and {later}")
    future_diary = DiaryEntry.objects.filter(entry_date__gt=today).count()
    if future_diary:
        problems.append(f"{future_diary} diary entries dated after today ({today})")
    lead = BookingPolicy.current().recall_lead_days
    for row in due_recalls(today, within_days=lead):
        diagnosis = Diagnosis.objects.filter(patient=row.recall.patient).first()
        if diagnosis is None or diagnosis.treating_clinician_id is None:
            problems.append(f"recall for {row.recall.patient} without diagnosis or clinician")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


def test_demo_sessions_carry_a_screening_that_obeys_the_checks(demo_data):
    """Issue #13: every demo toxin session has its pre-injection screening, recorded through the
    action like the visit form's; toxin-naive only on a patient's first session; each positive
    answer or naive start came back as a warning the clinician acknowledged with a reason."""
    from collis.injections import dosing, safety
    from collis.injections.models import Screening

    problems: list[str] = []
    sessions = list(
        InjectionSession.objects.select_related("screening").order_by("patient", "injected_on")
    )
    first_of: dict[int, int] = {}
    for s in sessions:
        first_of.setdefault(s.patient_id, s.pk)
    for s in sessions:
        try:
            screening = s.screening
        except Screening.DoesNotExist:
            problems.append(f"session {s.pk}: no screening")
            continue
        if set(screening.answers) != set(safety.SCREENING_QUESTIONS):
            problems.append(f"session {s.pk}: answers {sorted(screening.answers)}")
        if screening.toxin_naive and first_of[s.patient_id] != s.pk:
            problems.append(f"session {s.pk}: toxin-naive after earlier sessions")
        for given in screening.toxins_elsewhere:
            if given["product_code"] not in {c.value for c in dosing.ProductCode}:
                problems.append(f"session {s.pk}: unknown product {given['product_code']}")
            if given["given_on"] >= s.injected_on.isoformat():
                problems.append(f"session {s.pk}: toxin elsewhere not before the session")
        codes = {w["code"] for w in s.warnings}
        if any(screening.answers.values()) and "screening" not in codes:
            problems.append(f"session {s.pk}: positive screening without its warning")
        if s.warnings and not (s.acknowledgement_reason and s.acknowledged_by_id):
            problems.append(f"session {s.pk}: warnings not acknowledged")
    assert sessions and not problems, "\n".join(problems[:40])
    assert Screening.objects.filter(toxin_naive=True).exists()
    assert Screening.objects.exclude(toxins_elsewhere=[]).exists()
