"""Load test: patients browse and book while staff work the calendar (loopback only).

Runs gunicorn in production mode over PostgreSQL with the demo clinic, then N simulated users
(threads, each with its own HTTP session and a short think time) for a bounded time:

- 70 % browsing patients: home, condition page, directory, a provider, the booking start page;
- 20 % booking patients: free slots from the API, then a booking POST (201, or 409 if taken);
- 10 % front desk: signed in with password and TOTP, the day calendar and the recall list.

It runs with the production defaults (deploy/gunicorn.conf.py, persistent database
connections, Redis cache) and jobs on Celery (a worker and beat on a Redis of its own): the
booking confirmation emails really go through the broker.

It prints throughput, p50/p95/p99 latency per kind, errors (anything but 2xx/3xx, and 409 on
bookings), client-side errors (timeouts, refused connections, bad JSON — each counted, never
swallowed), and checks the database afterwards: every 201's uid is exactly one row, no row
exists that no 201 reported, no clinician is double booked, every confirmation email job ran.
Exit status 0 only if all of that holds. ``--baseline`` first runs the same load with
``DB_CONN_MAX_AGE=0`` (a connection per request) for comparison in the same run.
Usage: ``.venv/bin/python bench/load_test.py [--users 50] [--seconds 60] [--layout cluster]``.
On a shared machine, ``COLLIS_BENCH_PORT_BASE=N`` moves its ports to N..N+4 and
``COLLIS_BENCH_DATABASE`` names its PostgreSQL database (default ``collis_bench_load``).
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
from cluster import Cluster
from harness import append_results, percentile

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
        self.client_errors: Counter[str] = Counter()
        self.booked_uids: list[str] = []
        self.cpu: dict[str, float] = {"web": 0.0, "pg": 0.0}

    def add(self, kind: str, status: int, seconds: float, ok_statuses: set[int]) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.statuses[(kind, status)] += 1
            if status not in ok_statuses and not 200 <= status < 400:
                self.errors.append(f"{kind} -> {status}")

    def client_error(self, where: str, exc: BaseException) -> None:
        with self.lock:
            self.client_errors[f"{where}: {type(exc).__name__}"] += 1

    def booked(self, uid: str) -> None:
        with self.lock:
            self.booked_uids.append(uid)


def timed(
    session: requests.Session, method: str, url: str, rec: Recorder | None = None, **kwargs: Any
) -> tuple[requests.Response | None, int, float]:
    began = time.perf_counter()
    try:
        response = session.request(method, url, timeout=30, allow_redirects=False, **kwargs)
        status = response.status_code
    except requests.RequestException as exc:
        response, status = None, -1
        if rec is not None:
            rec.client_error(f"{method} {url.split('?')[0]}", exc)
    return response, status, time.perf_counter() - began


def guarded(target):
    """Run a simulated user; an exception in it is a counted client error, not a lost thread."""

    def run(base: str, rec: Recorder, *args: Any) -> None:
        try:
            target(base, rec, *args)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            rec.client_error(target.__name__, exc)

    return run


def browsing_patient(base: str, rec: Recorder, rng: random.Random, until: float) -> None:
    with requests.Session() as s:
        while time.monotonic() < until:
            _, status, took = timed(s, "GET", base + rng.choice(PAGES), rec)
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
            response, status, took = timed(
                s, "GET", base + "/api/scheduling/slots", rec, params=params
            )
            rec.add("slots-api", status, took, set())
            slots = response.json() if status == 200 else []
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
                response, status, took = timed(
                    s, "POST", base + "/api/scheduling/appointments", rec, json=body
                )
                rec.add("book", status, took, {201, 409})
                if status == 201:
                    rec.booked(response.json()["uid"])
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
                _, status, took = timed(s, "GET", base + path, rec)
                # A redirect here would mean the session lost its sign-in: count it as an error.
                rec.add("staff", status if status != 302 else 599, took, set())
            time.sleep(rng.uniform(0.2, 0.8))


def check_database(uids: list[str], baseline_ids: set[int]) -> dict[str, int]:
    """Match every 201 to its row by uid; find rows no 201 reported; count overlaps."""
    from django.db import connection

    from collis.jobs.models import Job
    from collis.scheduling.models import Appointment

    new = {
        str(uid): pk
        for uid, pk in Appointment.objects.exclude(pk__in=baseline_ids).values_list("uid", "pk")
    }
    reported = Counter(uids)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b
               ON a.clinician_id = b.clinician_id AND a.id < b.id
               AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end
               WHERE a.status IN ('requested','confirmed','arrived','completed')
               AND b.status IN ('requested','confirmed','arrived','completed')"""
        )
        overlaps = cursor.fetchone()[0]
    emails = Job.objects.filter(name="scheduling.send_appointment_email")
    return {
        "booked_201": len(uids),
        "new_rows": len(new),
        "lost_201": sum(1 for uid in reported if uid not in new),  # 201 without a row
        "duplicate_201": sum(n - 1 for n in reported.values() if n > 1),
        "unreported_rows": sum(1 for uid in new if uid not in reported),  # row without a 201
        "overlapping_pairs": overlaps,
        "email_jobs": emails.count(),
        "email_jobs_not_done": emails.exclude(state=Job.State.DONE).count(),
    }


def _cpu_seconds(pids: list[int], *, with_children: bool = False) -> float:
    """utime + stime (and reaped children's, for PostgreSQL's postmaster) from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        if with_children:
            total += int(fields[13]) + int(fields[14])
    return total / tick


def _process_tree(root: int) -> list[int]:
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])  # noqa: SIM115
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def cpu_snapshot(cluster: Cluster) -> dict[str, float]:
    """CPU seconds used so far by the web servers and by PostgreSQL (all its processes)."""
    import subprocess

    web = sum(
        _cpu_seconds(_process_tree(cluster.procs[f"web-{c}"].pid)) for c in "ab"[: cluster.webs]
    )
    postmaster = subprocess.run(  # noqa: S603
        ["pgrep", "-o", "-x", "postgres"],
        capture_output=True,
        text=True,
        check=False,  # noqa: S607
    ).stdout.split()
    pg = 0.0
    if postmaster:
        root = int(postmaster[0])
        pg = _cpu_seconds([root], with_children=True) + _cpu_seconds(_process_tree(root)[1:])
    return {"web": web, "pg": pg}


def run_load(cluster: Cluster, users: int, seconds: float, desk_logins: list) -> tuple:
    rec = Recorder()
    rng = random.Random(2026)  # noqa: S311
    until = time.monotonic() + seconds
    threads = []
    for i in range(users):
        share = i / users
        user_rng = random.Random(rng.random())  # noqa: S311
        if share < 0.7:
            target, extra = browsing_patient, ()
        elif share < 0.9:
            target, extra = booking_patient, (i * 100_000,)
        else:
            target, extra = front_desk, (desk_logins.pop(),)
        threads.append(
            threading.Thread(
                target=guarded(target), args=(cluster.url, rec, user_rng, until, *extra)
            )
        )
    cpu_before = cpu_snapshot(cluster)
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    cpu_after = cpu_snapshot(cluster)
    rec.cpu = {k: cpu_after[k] - cpu_before[k] for k in cpu_after}
    return rec, elapsed


def table(rec: Recorder, elapsed: float) -> list[str]:
    lines = ["| kind | requests | req/s | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for kind, values in sorted(rec.latency.items()):
        ms = [v * 1000 for v in values]
        lines.append(
            f"| {kind} | {len(ms)} | {len(ms) / elapsed:.1f} | {percentile(ms, 50):.0f} | "
            f"{percentile(ms, 95):.0f} | {percentile(ms, 99):.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--layout",
        choices=["single", "cluster"],
        default="single",
        help="single: one gunicorn + one Celery worker; cluster: 2 web behind a proxy, 2 workers",
    )
    parser.add_argument(
        "--baseline", action="store_true", help="first run with DB_CONN_MAX_AGE=0 to compare"
    )
    args = parser.parse_args()
    load_before = os.getloadavg()[0]

    webs, workers = (1, 1) if args.layout == "single" else (2, 2)
    runs = [("baseline: DB_CONN_MAX_AGE=0", {"DB_CONN_MAX_AGE": "0"})] if args.baseline else []
    runs.append(("production defaults", {}))
    sections, ok = [], True
    for label, extra in runs:
        cluster = Cluster(
            database=os.environ.get("COLLIS_BENCH_DATABASE", "collis_bench_load"),
            webs=webs,
            workers=workers,
            extra_env=extra,
        )
        print(f"[{label}] starting {args.layout} layout and demo data ...", flush=True)
        cluster.start()
        try:
            os.environ.update(cluster.env())
            import django

            django.setup()
            from django.db import connection

            from collis.scheduling.models import Appointment

            connection.close()
            baseline_ids = set(Appointment.objects.values_list("pk", flat=True))
            desk_logins = make_front_desk_logins(args.users)
            rec, elapsed = run_load(cluster, args.users, args.seconds, desk_logins)
            time.sleep(5)  # let the workers finish the confirmation emails of the last bookings
            deadline = time.monotonic() + 60
            db = check_database(rec.booked_uids, baseline_ids)
            while db["email_jobs_not_done"] and time.monotonic() < deadline:
                time.sleep(2)
                db = check_database(rec.booked_uids, baseline_ids)
            connection.close()
        finally:
            cluster.stop()
        load = os.getloadavg()
        total = sum(len(v) for v in rec.latency.values())
        statuses = ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(rec.statuses.items()))
        page_p95 = percentile([v * 1000 for v in rec.latency["page"]], 95)
        run_ok = (
            not rec.errors
            and not rec.client_errors
            and db["lost_201"] == db["duplicate_201"] == db["unreported_rows"] == 0
            and db["overlapping_pairs"] == 0
            and db["email_jobs_not_done"] == 0
        )
        ok = ok and run_ok
        sections += [
            f"### {label} ({args.layout}: {webs} web x gunicorn.conf defaults, {workers} Celery "
            f"worker(s), beat, Redis, PostgreSQL, S3)",
            "",
            f"{args.users} users for {elapsed:.0f} s; load average after: {load[0]:.1f}",
            "",
            *table(rec, elapsed),
            "",
            f"- Throughput: {total / elapsed:.1f} requests/s in all; statuses: {statuses}",
            f"- Server errors (not 2xx/3xx, 409 allowed on bookings): {len(rec.errors)} "
            f"{Counter(rec.errors).most_common(5) if rec.errors else ''}",
            f"- Client errors (timeouts, refused, bad JSON): {sum(rec.client_errors.values())} "
            f"{rec.client_errors.most_common(5) if rec.client_errors else ''}",
            f"- Page views p95: {page_p95:.0f} ms (target < 300 ms: "
            f"{'met' if page_p95 < 300 else 'MISSED'})",
            f"- CPU per request (noise-robust): web {rec.cpu['web'] / total * 1000:.1f} ms, "
            f"PostgreSQL {rec.cpu['pg'] / total * 1000:.1f} ms "
            f"({rec.cpu['web']:.1f} s and {rec.cpu['pg']:.1f} s for {total} requests)",
            f"- Bookings: {db['booked_201']} answers of 201, {db['new_rows']} new rows; "
            f"201 without a row: {db['lost_201']}, duplicate uids: {db['duplicate_201']}, "
            f"rows without a 201: {db['unreported_rows']}; overlapping active bookings: "
            f"{db['overlapping_pairs']}",
            f"- Confirmation email jobs (Celery): {db['email_jobs']}, not done: "
            f"{db['email_jobs_not_done']}",
            f"- Verdict: {'PASS' if run_ok else 'FAIL'}",
            "",
        ]
    report = "\n".join(
        [
            f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: load test "
            f"(bench/load_test.py, {os.cpu_count()} CPUs, load average {load_before:.2f} before)",
            "",
            *sections,
        ]
    )
    print(report)
    append_results(report)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
