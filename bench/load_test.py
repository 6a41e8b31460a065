"""Load test: patients browse and book while staff work the calendar (loopback only).

Runs gunicorn in production mode over PostgreSQL with the demo clinic, then N simulated users
(threads, each with its own HTTP session and a short think time) for a bounded time:

- 70 % browsing patients: home, condition page, directory, a provider, the booking start page;
- 20 % booking patients: free slots from the API, then a booking POST (201, or 409 if taken);
- 10 % front desk: signed in with password and TOTP, the day calendar and the recall list.

It prints throughput, p50/p95/p99 latency per kind, errors (anything but 2xx/3xx, and 409 on
bookings), and checks the database afterwards: every 201 is one row, no clinician is double
booked. Usage: ``.venv/bin/python bench/load_test.py [--users 50] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import requests
from harness import Server, append_results, fresh_database, percentile

PAGES = [
    "/",
    "/conditions/cervical-dystonia/",
    "/providers/",
    "/providers/dr-lucas-brennan/",
    "/providers/dr-maya-okafor/",
    "/conditions/",
    "/book/",
    "/search/?q=tremor",
]
BOOKING_TYPE = "injection-follow-up"
DESK_PASSWORD = "load-test-desk-password"  # noqa: S105 - a throwaway bench database


def make_front_desk_logins(count: int) -> list[tuple[str, str]]:
    """One front-desk account per simulated desk user, each with its own authenticator.

    They cannot share one: django-otp refuses a code already used in its time step, as it
    should, so two desks signing in as one person in the same 30 s would be a replay.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role

    logins = []
    for n in range(count):
        user = ensure_user_with_role(f"load-desk-{n}", Role.FRONT_DESK, password=DESK_PASSWORD)
        device = TOTPDevice.objects.create(user=user, name="load test", confirmed=True)
        logins.append((user.username, device.key))
    return logins


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.errors: list[str] = []
        self.booked = 0

    def add(self, kind: str, status: int, seconds: float, ok_statuses: set[int]) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.statuses[(kind, status)] += 1
            if status not in ok_statuses and not 200 <= status < 400:
                self.errors.append(f"{kind} -> {status}")
            if kind == "book" and status == 201:
                self.booked += 1


def timed(session: requests.Session, method: str, url: str, **kwargs: Any) -> tuple[int, float]:
    began = time.perf_counter()
    try:
        status = session.request(
            method, url, timeout=30, allow_redirects=False, **kwargs
        ).status_code
    except requests.RequestException:
        status = -1
    return status, time.perf_counter() - began


def browsing_patient(base: str, rec: Recorder, rng: random.Random, until: float) -> None:
    with requests.Session() as s:
        while time.monotonic() < until:
            status, took = timed(s, "GET", base + rng.choice(PAGES))
            rec.add("page", status, took, set())
            time.sleep(rng.uniform(0.05, 0.3))


def booking_patient(base: str, rec: Recorder, rng: random.Random, until: float, n: int) -> None:
    with requests.Session() as s:
        while time.monotonic() < until:
            start = date.today() + timedelta(days=rng.randint(1, 20))
            params = {
                "appointment_type": BOOKING_TYPE,
                "date_from": start.isoformat(),
                "date_to": (start + timedelta(days=2)).isoformat(),
                "limit": 20,
            }
            began = time.perf_counter()
            response = s.get(base + "/api/scheduling/slots", params=params, timeout=30)
            rec.add("slots-api", response.status_code, time.perf_counter() - began, set())
            slots = response.json() if response.status_code == 200 else []
            if slots:
                slot = rng.choice(slots)
                n += 1
                body = {
                    "appointment_type": BOOKING_TYPE,
                    "start": slot["start"],
                    "clinician": slot["clinician"],
                    "location": slot["location"],
                    "contact": {
                        "given_name": f"Load{n}",
                        "family_name": "Tester",
                        "email": f"load{n}.{rng.randint(0, 10**9)}@example.com",
                        "birth_date": "1980-01-01",
                    },
                }
                status, took = timed(s, "POST", base + "/api/scheduling/appointments", json=body)
                rec.add("book", status, took, {201, 409})
            time.sleep(rng.uniform(0.2, 0.6))


def front_desk(
    base: str, rec: Recorder, rng: random.Random, until: float, login: tuple[str, str]
) -> None:
    from django_otp.oath import TOTP

    username, key = login
    with requests.Session() as s:
        s.get(base + "/accounts/login/", timeout=30)
        s.post(
            base + "/accounts/login/",
            data={
                "username": username,
                "password": DESK_PASSWORD,
                "csrfmiddlewaretoken": s.cookies["csrftoken"],
            },
            headers={"Referer": base},
            timeout=30,
        )
        verify = s.get(base + "/accounts/two-factor/verify/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', verify.text).group(1)
        code = TOTP(bytes.fromhex(key)).token()
        s.post(
            base + "/accounts/two-factor/verify/",
            data={"token": f"{code:06d}", "csrfmiddlewaretoken": token},
            headers={"Referer": base},
            timeout=30,
        )
        while time.monotonic() < until:
            for path in ("/desk/", "/desk/recalls/"):
                status, took = timed(s, "GET", base + path)
                # A redirect here would mean the session lost its sign-in: count it as an error.
                rec.add("staff", status if status != 302 else 599, took, set())
            time.sleep(rng.uniform(0.2, 0.8))


def check_database(booked: int, baseline: int) -> dict[str, int]:
    from django.db import connection

    from collis.scheduling.models import Appointment

    rows = Appointment.objects.count() - baseline
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b
               ON a.clinician_id = b.clinician_id AND a.id < b.id
               AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end
               WHERE a.status IN ('requested','confirmed','arrived','completed')
               AND b.status IN ('requested','confirmed','arrived','completed')"""
        )
        overlaps = cursor.fetchone()[0]
    return {"new_rows": rows, "booked_201": booked, "overlapping_pairs": overlaps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    server = Server(fresh_database("collis_bench_load"))
    print("preparing database and demo data ...", flush=True)
    server.prepare()
    os.environ.update(server.env())
    import django

    django.setup()
    from collis.scheduling.models import Appointment

    baseline = Appointment.objects.count()
    desk_logins = make_front_desk_logins(args.users)
    server.start()
    rec = Recorder()
    rng = random.Random(2026)  # noqa: S311
    until = time.monotonic() + args.seconds
    threads = []
    for i in range(args.users):
        share = i / args.users
        user_rng = random.Random(rng.random())  # noqa: S311
        if share < 0.7:
            target, extra = browsing_patient, ()
        elif share < 0.9:
            target, extra = booking_patient, (i * 100_000,)
        else:
            target, extra = front_desk, (desk_logins.pop(),)
        threads.append(
            threading.Thread(target=target, args=(server.url, rec, user_rng, until, *extra))
        )
    began = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        elapsed = time.monotonic() - began
        server.stop()
    db = check_database(rec.booked, baseline)
    load = os.getloadavg()
    total = sum(len(v) for v in rec.latency.values())
    lines = [
        f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: load test (bench/load_test.py)",
        "",
        f"{args.users} users for {elapsed:.0f} s against gunicorn ({server.workers} workers x "
        f"{server.threads} threads, DEBUG=false) + PostgreSQL on this 2-core machine; "
        f"load average after: {load[0]:.1f}",
        "",
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for kind, values in sorted(rec.latency.items()):
        ms = [v * 1000 for v in values]
        lines.append(
            f"| {kind} | {len(ms)} | {len(ms) / elapsed:.1f} | {percentile(ms, 50):.0f} | "
            f"{percentile(ms, 95):.0f} | {percentile(ms, 99):.0f} |"
        )
    statuses = ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(rec.statuses.items()))
    page_p95 = percentile([v * 1000 for v in rec.latency["page"]], 95)
    lines += [
        "",
        f"- Throughput: {total / elapsed:.1f} requests/s in all; statuses: {statuses}",
        f"- Errors (not 2xx/3xx, 409 allowed on bookings): {len(rec.errors)} "
        f"{Counter(rec.errors).most_common(5) if rec.errors else ''}",
        f"- Page views p95: {page_p95:.0f} ms (target < 300 ms)",
        f"- Database after: {db['new_rows']} new appointments for {db['booked_201']} answers "
        f"of 201; overlapping active bookings per clinician: {db['overlapping_pairs']}",
    ]
    report = "\n".join(lines)
    print(report)
    append_results(report)
    ok = not rec.errors and db["new_rows"] == db["booked_201"] and db["overlapping_pairs"] == 0
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
