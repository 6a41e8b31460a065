"""Slot search speed: the first 20 free slots across all clinicians, on SQLite.

Builds a throwaway SQLite database with N clinicians (weekday hours, lunch break) and 5,000
appointments, either spread over the 120 days or packed from the front of the calendar (the
worst case for "first available": the search has to read and walk past every booked day).
Times ``find_slots(limit=20)`` over a 120-day horizon, then shows how it grows with the number
of clinicians and with the horizon (for the horizon, a full scan of every free slot, since
"first 20" stops early).

Run: .venv/bin/python bench/bench_slots.py   (prints figures, appends to bench/RESULTS.md)
"""

from __future__ import annotations

import heapq
import os
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
WORKDIR = tempfile.mkdtemp(prefix="collis-bench-slots-")
os.environ["COLLIS_VAR_DIR"] = WORKDIR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from collis.patients.models import Patient  # noqa: E402
from collis.providers.models import Clinic, Clinician, Location  # noqa: E402
from collis.scheduling import availability  # noqa: E402
from collis.scheduling import slots as core  # noqa: E402
from collis.scheduling.models import (  # noqa: E402
    Appointment,
    AppointmentType,
    BookingPolicy,
    WeeklyBreak,
    WeeklyHours,
)

APPOINTMENTS = 5_000
RUNS = 30


def build(clinicians: int, appointments: int, now: datetime, packed: bool) -> AppointmentType:
    """Reset the scheduling tables and fill them; return the type to search for."""
    Appointment.objects.all().delete()
    AppointmentType.objects.all().delete()
    WeeklyHours.objects.all().delete()
    WeeklyBreak.objects.all().delete()
    Clinician.objects.all().delete()
    clinic = Clinic.objects.first() or Clinic.objects.create(name="Bench", phone="0")
    location = Location.objects.first() or Location.objects.create(
        clinic=clinic, name="Main", slug="main", street="1 St", city="Chicago"
    )
    patient = Patient.objects.first() or Patient.objects.create(
        mrn="B-1", given_name="Bench", family_name="Patient", email="b@example.com"
    )
    kind = AppointmentType.objects.create(
        name="Follow-up", slug="follow-up", duration_minutes=30, buffer_after_minutes=0
    )
    people = Clinician.objects.bulk_create(
        [Clinician(display_name=f"Clinician {i}", slug=f"c-{i}") for i in range(clinicians)]
    )
    kind.clinicians.set(people)
    WeeklyHours.objects.bulk_create(
        WeeklyHours(clinician=c, location=location, weekday=d, start=time(9), end=time(17))
        for c in people
        for d in range(5)
    )
    WeeklyBreak.objects.bulk_create(
        WeeklyBreak(clinician=c, weekday=d, start=time(12), end=time(13))
        for c in people
        for d in range(5)
    )
    # Pack bookings from the front: every working half hour, clinician by clinician, day by day.
    zone = availability.clinic_zone()
    rules = core.Rules(
        duration=timedelta(minutes=30),
        granularity=timedelta(minutes=30),
        horizon=timedelta(days=400),
    )
    schedules = availability.load_schedules(people, since=now, until=now + timedelta(days=400))
    streams = [
        core.iter_free_slots(s, rules, zone=zone, now=now, until=now + timedelta(days=400))
        for s in schedules
    ]
    free = list(islice(heapq.merge(*streams), appointments * 3))
    if packed:
        chosen = free[:appointments]
    else:
        # Spread: a seeded random 5,000 of the free half hours in the next 120 days.
        in_horizon = [slot for slot in free if slot.start < now + timedelta(days=120)]
        chosen = random.Random(7).sample(in_horizon, min(appointments, len(in_horizon)))
    rows = [
        Appointment(
            patient=patient,
            clinician_id=int(slot.clinician),
            location=location,
            appointment_type=kind,
            start=slot.start,
            end=slot.end,
            blocked_start=slot.start,
            blocked_end=slot.end,
            contact_name="Bench Patient",
            contact_email="b@example.com",
        )
        for slot in chosen
    ]
    Appointment.objects.bulk_create(rows, batch_size=1000)
    return kind


def timed(func, runs: int = RUNS) -> tuple[float, float]:
    """Return the median wall time and median CPU time of ``func``, in ms.

    The CPU time is the steadier figure on a shared machine: it leaves out waiting for a core.
    """
    wall, cpu = [], []
    for _ in range(runs):
        begin, begin_cpu = clock.perf_counter(), clock.process_time()
        func()
        wall.append((clock.perf_counter() - begin) * 1000)
        cpu.append((clock.process_time() - begin_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    call_command("migrate", verbosity=0)
    BookingPolicy.objects.create(min_notice_hours=0, horizon_days=120, granularity_minutes=15)
    now = timezone.now()
    lines: list[str] = []

    def report(text: str) -> None:
        print(text)
        lines.append(text)

    report(f"## {date.today().isoformat()} · slot search (bench/bench_slots.py, SQLite)")
    report("")
    report(f"Median of {RUNS} runs (5 for the horizon table).")
    report("")
    for packed in (False, True):
        layout = "packed from the front (worst case)" if packed else "spread over 120 days"
        report(f"First 20 free slots, 120-day horizon, {APPOINTMENTS:,} appointments {layout}:")
        report("")
        report("| clinicians | median wall ms | median CPU ms | ratio (CPU) | first slot |")
        report("|---|---|---|---|---|")
        baseline = None
        for clinicians in (5, 10, 20, 40):
            with transaction.atomic():
                kind = build(clinicians, APPOINTMENTS, now, packed)
            wall, cpu = timed(lambda k=kind: availability.find_slots(k, limit=20, now=now))
            found = availability.find_slots(kind, limit=20, now=now)
            baseline = baseline or cpu
            report(
                f"| {clinicians} | {wall:.1f} | {cpu:.1f} | ×{cpu / baseline:.2f} | "
                f"{(found[0].start - now).total_seconds() / 86400:.1f} days out |"
            )
        report("")
    with transaction.atomic():
        kind = build(10, APPOINTMENTS, now, packed=False)
    report("Growth with the horizon (10 clinicians, spread): every free slot in the horizon.")
    report("")
    report("| horizon (days) | median wall ms | median CPU ms | slots found |")
    report("|---|---|---|---|")
    for days in (30, 60, 120, 240):
        BookingPolicy.objects.update(horizon_days=days)
        wall, cpu = timed(lambda k=kind: availability.find_slots(k, limit=100_000, now=now), runs=5)
        count = len(availability.find_slots(kind, limit=100_000, now=now))
        report(f"| {days} | {wall:.1f} | {cpu:.1f} | {count:,} |")
    report("")
    load = os.getloadavg()[0]
    report(f"Machine: {os.cpu_count()} cores, load average {load:.1f} during the run.")
    report("")
    results = ROOT / "bench" / "RESULTS.md"
    with results.open("a") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
