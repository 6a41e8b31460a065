"""Booking under load: 200 simultaneous booking requests for 20 slots against a running server.

Starts gunicorn on 127.0.0.1 (4 workers x 8 threads) over PostgreSQL (default) or SQLite
(``--sqlite``), opens one day with exactly 20 fifteen-minute slots, and sends 200 booking POSTs
to /api/scheduling/appointments at once, ten per slot. Correct means exactly 20 bookings (201),
180 "just taken" answers (409), no other status, and 20 rows in the database, one per slot.

Run: .venv/bin/python bench/bench_booking.py [--sqlite]   (appends to bench/RESULTS.md)
Needs PostgreSQL at 127.0.0.1:5432 with the role collis/collis (CI creates it) unless --sqlite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://collis:collis@127.0.0.1:5432/postgres"
PG_BENCH_DB = "collis_bench_booking"
SLOTS = 20
ATTEMPTS = 200
PORT = 8795
DEADLINE_SECONDS = 120


def database_url(use_sqlite: bool) -> str:
    if use_sqlite:
        return f"sqlite:///{tempfile.mkdtemp(prefix='collis-bench-booking-')}/bench.sqlite3"
    import psycopg

    with psycopg.connect(
        PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_BENCH_DB]).fetchone()
        if not exists:
            c.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return f"postgres://collis:collis@127.0.0.1:5432/{PG_BENCH_DB}"


def prepare(url: str) -> tuple[str, list[str]]:
    """Migrate and lay out one clinician with exactly SLOTS free slots; return (type, starts)."""
    script = f"""
import json, sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
from collis.patients.models import Patient
from collis.providers.models import Clinic, Clinician, Location
from collis.scheduling.models import *
Appointment.objects.all().delete()
Patient.objects.all().delete()
for model in (WeeklyHours, WeeklyBreak, DateOverride, AppointmentType, BookingPolicy):
    model.objects.all().delete()
Clinician.objects.all().delete()
BookingPolicy.objects.create(min_notice_hours=0, horizon_days=60, granularity_minutes=15)
clinic = Clinic.objects.first() or Clinic.objects.create(name="Bench clinic", phone="0")
location, _ = Location.objects.get_or_create(
    slug="bench", defaults=dict(clinic=clinic, name="Bench", street="1 St", city="Chicago"))
clinician = Clinician.objects.create(display_name="Dr. Bench", slug="dr-bench")
kind = AppointmentType.objects.create(name="Follow-up", slug="bench-follow-up", duration_minutes=15)
kind.clinicians.set([clinician])
zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
day = date.today() + timedelta(days=3)
# Exactly one working window, {SLOTS} x 15 minutes, on that date only.
DateOverride.objects.create(clinician=clinician, date=day, location=location,
                            start=time(9), end=time(14))
starts = [datetime.combine(day, time(9)).replace(tzinfo=zone) + timedelta(minutes=15 * i)
          for i in range({SLOTS})]
print(json.dumps({{"type": kind.slug, "starts": [s.isoformat() for s in starts]}}))
"""
    env = _env(url)
    output = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return data["type"], data["starts"]


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="collis.settings",
        PYTHONPATH=str(ROOT / "src"),
        JOBS_BACKEND="sync",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="60",
        # All 200 requests come from one loopback address; the per-address booking limit
        # would answer 429 to most of them.
        BOOKING_RATE_LIMIT="100000/m",
    )
    return env


def start_server(url: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "collis.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "4",
            "--threads",
            "8",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=_env(url),
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start")


def attempt(index: int, kind: str, start: str, barrier: threading.Barrier) -> tuple[int, float]:
    body = json.dumps(
        {
            "appointment_type": kind,
            "clinician": "dr-bench",
            "start": start,
            "contact": {
                "given_name": f"Load{index}",
                "family_name": "Tester",
                "email": f"load{index}@example.com",
                "birth_date": "1980-01-01",
            },
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"http://127.0.0.1:{PORT}/api/scheduling/appointments",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    barrier.wait(timeout=30)
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = -1  # connection error: counted as an error
    return status, time.perf_counter() - began


def count_rows(url: str) -> tuple[int, int]:
    script = """
import django
django.setup()
from collis.scheduling.models import Appointment
rows = Appointment.objects.active()
print(rows.count(), rows.values("start").distinct().count())
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="run on SQLite, not PostgreSQL")
    args = parser.parse_args()
    url = database_url(args.sqlite)
    kind, starts = prepare(url)
    server = start_server(url)
    try:
        barrier = threading.Barrier(ATTEMPTS)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
            futures = [
                pool.submit(attempt, i, kind, starts[i % SLOTS], barrier) for i in range(ATTEMPTS)
            ]
            results = [f.result(timeout=DEADLINE_SECONDS) for f in futures]
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = Counter(status for status, _ in results)
    latencies = sorted(seconds * 1000 for _, seconds in results)
    p95 = latencies[int(0.95 * len(latencies))]
    rows, distinct_starts = count_rows(url)
    ok = statuses == {201: SLOTS, 409: ATTEMPTS - SLOTS} and rows == distinct_starts == SLOTS
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    lines = [
        f"## {date.today().isoformat()} · booking under load (bench/bench_booking.py, {engine})",
        "",
        f"{ATTEMPTS} simultaneous POSTs for {SLOTS} slots (10 per slot), gunicorn 4 workers x 8 "
        "threads on 127.0.0.1.",
        "",
        f"- answers: {dict(sorted(statuses.items()))} → "
        f"{'exactly ' + str(SLOTS) + ' bookings, no error other than 409' if ok else 'WRONG'}",
        f"- rows in the database: {rows} active, {distinct_starts} distinct starts",
        f"- wall time {elapsed:.2f} s ({ATTEMPTS / elapsed:.0f} requests/s); latency median "
        f"{statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms",
        f"- machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
        "",
    ]
    print("\n".join(lines))
    with (ROOT / "bench" / "RESULTS.md").open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
