"""Synthetic scheduling data: visit types, clinicians' hours, a holiday, past and future visits."""

from __future__ import annotations

from datetime import date, time, timedelta

from collis.demo.context import DemoContext
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import slots as core
from collis.scheduling.availability import clinic_zone
from collis.scheduling.models import (
    DEFAULT_REINJECTION_INTERVAL_DAYS,
    Appointment,
    AppointmentType,
    BookingPolicy,
    ClinicClosure,
    InjectionRecall,
    WeeklyBreak,
    WeeklyHours,
)

# slug, name, minutes, buffer before, buffer after, re-injection, who offers it, description
TYPES = [
    (
        "new-patient",
        "New-patient consultation",
        60,
        0,
        10,
        False,
        "doctors",
        "First visit: history, examination and a treatment plan.",
    ),
    (
        "toxin-injection",
        "Botulinum-toxin injection",
        30,
        10,
        5,
        True,
        "injectors",
        "Re-injection with EMG or ultrasound guidance.",
    ),
    (
        "injection-follow-up",
        "Injection follow-up",
        20,
        0,
        0,
        False,
        "doctors",
        "Review 4–6 weeks after an injection.",
    ),
    (
        "physical-therapy",
        "Physical-therapy session",
        45,
        0,
        15,
        False,
        "therapists",
        "Stretching, strengthening and posture retraining.",
    ),
]
THERAPISTS = {"priya-nair-dpt", "tom-becker-pt"}
# Days each clinician works at each location (Monday = 0).
WORK_DAYS = {
    "dr-maya-okafor": {"downtown": [0, 1, 2, 3, 4]},
    "dr-lucas-brennan": {"downtown": [0, 2, 4], "north-campus": [1, 3]},
    "dr-hannah-lindqvist": {"north-campus": [1, 2, 3]},
    "dr-rafael-soto": {"north-campus": [0, 1, 3, 4]},
    "priya-nair-dpt": {"downtown": [0, 1, 2, 3]},
    "tom-becker-pt": {"north-campus": [1, 2, 3, 4]},
}
PAST_WEEKS = 3
FUTURE_WEEKS = 3
# Visits only patients under treatment have (a review after an injection).
FOR_TREATED = {"injection-follow-up"}
# The fewest days between two visits of one kind for one patient; a first visit happens once.
MIN_GAP_DAYS = {
    "injection-follow-up": 28,  # it reviews an injection 4–6 weeks after it (TYPES)
    "physical-therapy": 6,  # at most once a week
}


def _visit_fits(
    visit_days: dict[tuple[int, str], list[date]],
    patient_pk: int,
    appointment_type: AppointmentType,
    day: date,
) -> bool:
    """Whether one more visit of this kind on ``day`` is one the patient would plausibly have."""
    booked = visit_days.get((patient_pk, appointment_type.slug), [])
    if appointment_type.for_new_patients:
        return not booked
    gap = MIN_GAP_DAYS.get(appointment_type.slug, 1)
    return all(abs((day - other).days) >= gap for other in booked)


def _offered_by(kind: str, slug: str) -> bool:
    if kind == "therapists":
        return slug in THERAPISTS
    return slug not in THERAPISTS  # doctors and injectors: physicians


def seed(ctx: DemoContext) -> None:
    if not BookingPolicy.objects.exists():
        BookingPolicy.objects.create()
    clinicians = {c.slug: c for c in Clinician.objects.all()}
    locations = {loc.slug: loc for loc in Location.objects.all()}
    types = {}
    for position, (slug, name, minutes, before, after, reinj, kind, desc) in enumerate(TYPES):
        appointment_type, created = AppointmentType.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "duration_minutes": minutes,
                "buffer_before_minutes": before,
                "buffer_after_minutes": after,
                "is_reinjection": reinj,
                "for_new_patients": slug == "new-patient",
                "description": desc,
                "position": position,
            },
        )
        if created:
            appointment_type.clinicians.set(
                [c for s, c in clinicians.items() if _offered_by(kind, s)]
            )
        types[slug] = appointment_type
    for slug, places in WORK_DAYS.items():
        clinician = clinicians.get(slug)
        if clinician is None or WeeklyHours.objects.filter(clinician=clinician).exists():
            continue
        for place, weekdays in places.items():
            for weekday in weekdays:
                WeeklyHours.objects.create(
                    clinician=clinician,
                    location=locations[place],
                    weekday=weekday,
                    start=time(8, 30),
                    end=time(16, 30),
                )
                WeeklyBreak.objects.create(
                    clinician=clinician, weekday=weekday, start=time(12), end=time(13)
                )
    zone = clinic_zone()
    today = ctx.now.astimezone(zone).date()
    holiday = today + timedelta(days=(3 - today.weekday()) % 7 + 14)  # a Thursday, 2–3 weeks out
    if not ClinicClosure.objects.exists():
        ClinicClosure.objects.create(date=holiday, name="Clinic training day (closed)")
    if not Appointment.objects.exists():
        _seed_appointments(ctx, types, list(clinicians.values()))


def _seed_appointments(ctx: DemoContext, types: dict, clinicians: list[Clinician]) -> None:
    """Book about a third of the free slots, from three weeks ago to three weeks ahead."""
    zone = clinic_zone()
    patients = list(Patient.objects.order_by("mrn"))
    if not patients:
        return
    policy = BookingPolicy.current()
    from collis.scheduling.availability import load_schedules, rules_for

    since = ctx.now - timedelta(weeks=PAST_WEEKS)
    until = ctx.now + timedelta(weeks=FUTURE_WEEKS)
    reasons = ["re-injection", "neck turning to the left", "head tremor review", "follow-up"]
    # Injections follow the app's rules: only patients under treatment (a diagnosis and a
    # treating clinician), never before their recall's due date (the injections seeded before
    # this set it), and at most one toxin visit per minimum interval.
    treated = {
        p.pk: p
        for p in Patient.objects.filter(diagnosis__treating_clinician__isnull=False).order_by("mrn")
    }
    due = dict(InjectionRecall.objects.values_list("patient_id", "due_on"))
    visit_days: dict[tuple[int, str], list[date]] = {}
    for clinician in clinicians:
        offered = [
            t
            for t in types.values()
            if clinician in t.clinicians.all()
            and not (t.for_new_patients and not clinician.accepting_new_patients)
        ]
        for appointment_type in offered:
            rules = rules_for(appointment_type, policy)
            rules = core.Rules(
                duration=rules.duration,
                buffer_before=rules.buffer_before,
                buffer_after=rules.buffer_after,
                granularity=timedelta(minutes=30),
                horizon=until - since,
            )
            schedule = load_schedules([clinician], since=since, until=until)[0]
            free = list(core.iter_free_slots(schedule, rules, zone=zone, now=since))
            for slot in free:
                if ctx.rng.random() > 0.18:
                    continue
                if (
                    Appointment.objects.active()
                    .filter(
                        clinician=clinician,
                        blocked_start__lt=slot.end + rules.buffer_after,
                        blocked_end__gt=slot.start - rules.buffer_before,
                    )
                    .exists()
                ):
                    continue
                day = slot.start.astimezone(zone).date()
                if appointment_type.is_reinjection:
                    if slot.start < ctx.now or not treated:
                        continue  # past injections are the injections app's sessions
                    patient = ctx.rng.choice(list(treated.values()))
                    if day < due.get(patient.pk, day) or any(
                        abs((day - other).days) < DEFAULT_REINJECTION_INTERVAL_DAYS
                        for other in visit_days.get((patient.pk, appointment_type.slug), [])
                    ):
                        continue
                else:
                    # Who may have this visit that day, as a clinic would book it: a first visit
                    # once, for someone not treated yet; a follow-up for a treated patient, at
                    # most once in four weeks; therapy at most weekly (MIN_GAP_DAYS).
                    pool = treated.values() if appointment_type.slug in FOR_TREATED else patients
                    candidates = [
                        p
                        for p in pool
                        if not (appointment_type.for_new_patients and p.pk in treated)
                        and _visit_fits(visit_days, p.pk, appointment_type, day)
                    ]
                    if not candidates:
                        continue
                    patient = ctx.rng.choice(candidates)
                if (
                    Appointment.objects.active()
                    .filter(patient=patient, start__lt=slot.end, end__gt=slot.start)
                    .exists()
                ):
                    continue
                visit_days.setdefault((patient.pk, appointment_type.slug), []).append(day)
                past = slot.start < ctx.now
                status = (
                    (
                        Appointment.Status.COMPLETED
                        if ctx.rng.random() < 0.9
                        else Appointment.Status.NO_SHOW
                    )
                    if past
                    else Appointment.Status.CONFIRMED
                )
                blocked = rules.blocked(slot.start)
                Appointment.objects.create(
                    patient=patient,
                    clinician=clinician,
                    location_id=int(slot.place),
                    appointment_type=appointment_type,
                    start=slot.start,
                    end=slot.end,
                    blocked_start=blocked.start,
                    blocked_end=blocked.end,
                    status=status,
                    source=ctx.rng.choice(["online", "staff"]),
                    reason=ctx.rng.choice(reasons),
                    contact_name=patient.full_name,
                    contact_email=patient.email,
                    contact_phone=patient.phone,
                )
