"""Fault tests on the multi-node layout (bench/cluster.py), each with a pass/fail verdict.

Cases (``--only NAME`` runs one):

- ``postgres``: PostgreSQL restarted under load — clean 503s at most while it is down, no error
  after, every 201 has its row (matched by uid), no double booking;
- ``redis``: Redis (cache *and* broker) stopped for 20 s under load — no 500 at all, bookings
  still 201, /readyz stays 200 ("degraded"), the emails queued meanwhile are sent afterwards;
- ``worker-kill``: a Celery worker's *main* process SIGKILLed mid-job — the site keeps serving,
  the job is finished exactly once (one attempt more at most, one DONE), the worker restarted;
- ``long-job``: a job three times longer than its lease and longer than the broker's visibility
  timeout, so Redis redelivers it to the other worker while it runs — it runs once, done once;
- ``backup``: an encrypted backup taken under booking traffic restores into a fresh database
  and passes its own row-count and media checks.

Exit status 0 only if every case run passed. Figures are appended to bench/RESULTS.md.
Needs root for ``pg_ctlcluster restart`` (the ``postgres`` case), PostgreSQL on 127.0.0.1:5432
with the role collis/collis (CREATEDB), and redis-server. Bounded: about 5 minutes.
Usage: ``.venv/bin/python bench/fault_test.py [--only postgres|redis|worker-kill|long-job|backup]``.
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
from dataclasses import dataclass, field
from datetime import date, timedelta

import requests
from cluster import Cluster
from harness import ROOT, append_results, fresh_database

PAGES = ["/", "/conditions/cervical-dystonia/", "/providers/", "/book/"]


NO_RETRY_AFTER_503 = -503  # a 503 that does not say when to retry: counted as a fault


def _status(response: requests.Response) -> int:
    """The status, except that a 503 without Retry-After is recorded as NO_RETRY_AFTER_503."""
    if response.status_code == 503 and "Retry-After" not in response.headers:
        return NO_RETRY_AFTER_503
    return response.status_code


@dataclass
class Traffic:
    """Browsing and booking users; every answer and every client error is logged."""

    base: str
    log: list = field(default_factory=list)  # (time, kind, status)
    uids: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list = field(default_factory=list)

    def start(self, users: int) -> None:
        for n in range(users):
            thread = threading.Thread(target=self._user, args=(n,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def _record(self, kind: str, status: int) -> None:
        with self.lock:
            self.log.append((time.monotonic(), kind, status))

    def _user(self, n: int) -> None:
        rng = random.Random(n)  # noqa: S311
        with requests.Session() as s:
            while not self.stop.is_set():
                kind, status = "page", -1
                try:
                    if rng.random() < 0.7:
                        status = _status(s.get(self.base + rng.choice(PAGES), timeout=15))
                    else:
                        kind = "slots"
                        day = date.today() + timedelta(days=rng.randint(1, 30))
                        slots = s.get(
                            self.base + "/api/scheduling/slots",
                            params={
                                "appointment_type": "injection-follow-up",
                                "date_from": day.isoformat(),
                                "date_to": (day + timedelta(days=1)).isoformat(),
                                "limit": 10,
                            },
                            timeout=15,
                        )
                        status = _status(slots)
                        if status == 200 and slots.json():
                            kind = "book"
                            response = s.post(
                                self.base + "/api/scheduling/appointments",
                                json=book_body(rng.choice(slots.json()), n, rng),
                                timeout=15,
                            )
                            status = _status(response)
                            if status == 201:
                                with self.lock:
                                    self.uids.append(response.json()["uid"])
                except (requests.RequestException, ValueError):
                    status = -1  # a client-side error: counted, never ignored
                self._record(kind, status)
                time.sleep(rng.uniform(0.05, 0.2))

    def statuses(self, since: float = 0, until: float = float("inf"), kind: str | None = None):
        return Counter(
            s for t, k, s in self.log if since <= t <= until and (kind is None or k == kind)
        )


def book_body(slot: dict, n: int, rng: random.Random) -> dict:
    return {
        "appointment_type": "injection-follow-up",
        "start": slot["start"],
        "clinician": slot["clinician"],
        "location": slot["location"],
        "contact": {
            "given_name": f"Fault{n}",
            "family_name": "Tester",
            "email": f"fault{n}.{rng.randint(0, 10**9)}@example.com",
            "birth_date": "1980-01-01",
        },
    }


def bookings_check(uids: list[str], baseline: set[int]) -> dict[str, int]:
    from django.db import connection

    from collis.scheduling.models import Appointment

    connection.close()  # the bench's own connection may have died with a restart
    new = Appointment.objects.exclude(pk__in=baseline)
    rows = {str(uid) for uid in new.values_list("uid", flat=True)}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b
               ON a.clinician_id = b.clinician_id AND a.id < b.id
               AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end
               WHERE a.status IN ('requested','confirmed','arrived','completed')
               AND b.status IN ('requested','confirmed','arrived','completed')"""
        )
        overlaps = cursor.fetchone()[0]
    return {
        "201": len(uids),
        "lost": sum(1 for uid in uids if uid not in rows),
        "unreported": len(rows - set(uids)),
        "overlaps": overlaps,
    }


def baseline_ids() -> set[int]:
    from django.db import connection

    from collis.scheduling.models import Appointment

    connection.close()
    return set(Appointment.objects.values_list("pk", flat=True))


def wait_until(predicate, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def job_state(pk: int):  # noqa: ANN201
    from django.db import connection

    from collis.jobs.models import Job

    try:
        return Job.objects.get(pk=pk)
    except Exception:  # noqa: BLE001 - the database may be restarting
        connection.close()
        return None


def enqueue_canary(seconds: float) -> int:
    from django.db import transaction

    from collis.jobs.actions import enqueue

    with transaction.atomic():
        return enqueue("ops.canary", seconds=seconds).pk


# -- the cases ------------------------------------------------------------------------------------
def case_postgres(cluster: Cluster) -> tuple[bool, list[str]]:
    version = sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]
    base = baseline_ids()
    traffic = Traffic(cluster.url)
    traffic.start(12)
    time.sleep(8)
    began = time.monotonic()
    subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=True)  # noqa: S603, S607
    restarted = time.monotonic()
    time.sleep(20)
    traffic.finish()
    db = bookings_check(traffic.uids, base)
    during = traffic.statuses(began, restarted + 1)
    after = traffic.statuses(restarted + 5)
    # 409 (slot just taken) and 422 (e.g. this simulated patient already has a visit then) are
    # the booking rules answering, not faults.
    bad_after = {s: n for s, n in after.items() if not (200 <= s < 400 or s in {409, 422})}
    bad_during = {s: n for s, n in during.items() if s not in {503} and not 200 <= s < 500}
    first_ok = min((t for t, _, s in traffic.log if t > began and 200 <= s < 400), default=None)
    ok = not bad_after and not bad_during and db["lost"] == db["overlaps"] == 0
    return ok, [
        f"- restart took {restarted - began:.1f} s; during (+1 s): {dict(during)} "
        "(only 503 with Retry-After allowed; -503 would be one without it)",
        f"- first success {(first_ok - began) if first_ok else float('nan'):.1f} s after the "
        f"restart began; after recovery (+5 s): {dict(after)}",
        f"- bookings: {db['201']} x 201, without a row {db['lost']}, rows without a 201 "
        f"{db['unreported']} (a 201 lost in flight at the restart), overlaps {db['overlaps']}",
    ]


def case_redis(cluster: Cluster) -> tuple[bool, list[str]]:
    from collis.jobs.models import Job

    base = baseline_ids()
    traffic = Traffic(cluster.url)
    traffic.start(12)
    time.sleep(5)
    redis = cluster.procs["redis"]
    began = time.monotonic()
    redis.stop()
    time.sleep(1)
    ready = requests.get(cluster.url + "/readyz", timeout=15)
    time.sleep(19)
    redis.start()
    back = time.monotonic()
    time.sleep(10)
    traffic.finish()
    during = traffic.statuses(began, back)
    booked_during = traffic.statuses(began, back, kind="book")
    errors = {s: n for s, n in traffic.statuses().items() if s >= 500 or s < 0}
    emails = Job.objects.filter(name="scheduling.send_appointment_email")
    # Beat re-dispatches every 15 s; give the queue up to a minute to drain.
    drained = wait_until(lambda: not emails.exclude(state=Job.State.DONE).exists(), 60)
    db = bookings_check(traffic.uids, base)
    body = ready.json()
    ok = (
        not errors
        and ready.status_code == 200
        and booked_during.get(201, 0) > 0
        and drained
        and db["lost"] == db["unreported"] == db["overlaps"] == 0
    )
    return ok, [
        f"- Redis (cache + broker) stopped for {back - began:.0f} s under 12 users",
        f"- /readyz during: {ready.status_code} {body['status']} (broker ok "
        f"{body['checks']['broker']['ok']}, cache ok {body['checks']['cache']['ok']})",
        f"- answers during the outage: {dict(during)}; bookings during: {dict(booked_during)}",
        f"- 5xx or client errors over the whole case: {errors or 'none'}",
        f"- confirmation email jobs: {emails.count()}, all done after Redis came back: {drained}",
        f"- bookings: {db['201']} x 201, without a row {db['lost']}, rows without a 201 "
        f"{db['unreported']}, overlaps {db['overlaps']}",
    ]


def case_worker_kill(cluster: Cluster) -> tuple[bool, list[str]]:
    from collis.jobs.models import Job

    traffic = Traffic(cluster.url)
    traffic.start(6)
    pk = enqueue_canary(6)
    running = wait_until(lambda: (j := job_state(pk)) is not None and j.progress >= 0.2, 60)
    holder = _worker_running(pk)
    victim = cluster.procs[holder]
    killed = time.monotonic()
    os.kill(victim.pid, signal.SIGKILL)  # the main process only; its pool child is orphaned
    victim.process.wait()
    done = wait_until(lambda: (j := job_state(pk)) is not None and j.is_finished, 90)
    took = time.monotonic() - killed
    cluster.restart(holder)  # the supervisor's part (supervisord / compose / Kubernetes)
    traffic.finish()
    job = Job.objects.get(pk=pk)
    pages = traffic.statuses(killed, killed + took)
    bad = {s: n for s, n in traffic.statuses().items() if s >= 500 or s < 0}
    ok = running and done and job.state == Job.State.DONE and job.attempts <= 2 and not bad
    return ok, [
        f"- canary job #{pk} (6 s) running on {holder}; its main process SIGKILLed at 20 %",
        f"- job {job.state} {took:.1f} s later, attempts {job.attempts}, result {job.result}",
        f"- site during that time: {dict(pages)}; 5xx/client errors: {bad or 'none'}",
        f"- {holder} restarted by the harness (as supervisord does in serve-prod)",
    ]


def _worker_running(pk: int) -> str:
    """Which worker runs the job, asked over the broker (celery inspect active)."""
    from collis.celery import app

    active = app.control.inspect(timeout=3).active() or {}
    for host, tasks in active.items():
        if any(list(t.get("args") or []) == [pk] for t in tasks):
            return f"worker-{host.split('@')[0].removeprefix('worker')}"
    return "worker-1"


def case_long_job(cluster: Cluster) -> tuple[bool, list[str]]:
    from collis.jobs.models import Job

    lease = int(cluster.env()["JOBS_LEASE_SECONDS"])
    visibility = int(cluster.env()["CELERY_VISIBILITY_TIMEOUT"])
    seconds = 3 * lease + 2
    pk = enqueue_canary(seconds)
    done = wait_until(lambda: (j := job_state(pk)) is not None and j.is_finished, seconds + 60)
    job = Job.objects.get(pk=pk)
    ok = done and job.state == Job.State.DONE and job.attempts == 1
    return ok, [
        f"- canary job #{pk} of {seconds} s with a {lease} s lease (heartbeat every "
        f"{lease / 4:.0f} s) and a {visibility} s visibility timeout, two workers",
        f"- {job.state} with attempts {job.attempts} (1 = never started twice), result "
        f"{job.result}",
    ]


def case_backup(cluster: Cluster) -> tuple[bool, list[str]]:
    traffic = Traffic(cluster.url)
    traffic.start(8)
    time.sleep(3)
    backups = ROOT / "var" / "cluster" / "backups"
    began = time.monotonic()
    made = cluster.manage("backup_data", "--dir", str(backups)).strip()
    took = time.monotonic() - began
    time.sleep(2)
    traffic.finish()
    archive = made.split()[0]
    mode = oct(os.stat(archive).st_mode & 0o777)
    target = fresh_database("collis_bench_restore")
    env = cluster.env() | {"DATABASE_URL": target, "S3_BUCKET": "collis-cluster-restore"}
    _bucket(env, "collis-cluster-restore")
    restored = subprocess.run(  # noqa: S603
        [cluster_python(), str(ROOT / "manage.py"), "restore_data", archive],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    ok = restored.returncode == 0 and mode == "0o600" and archive.endswith(".enc")
    return ok, [
        f"- backup under 8 users took {took:.1f} s: {made}",
        f"- archive mode {mode}; encrypted: {archive.endswith('.enc')}",
        f"- restore into a fresh database and bucket: exit {restored.returncode} "
        f"{(restored.stdout or restored.stderr).strip()[:300]}",
    ]


def cluster_python() -> str:
    import sys

    return sys.executable


def _bucket(env: dict[str, str], name: str) -> None:
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=name)


CASES = {
    "redis": case_redis,
    "worker-kill": case_worker_kill,
    "long-job": case_long_job,
    "backup": case_backup,
    "postgres": case_postgres,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES))
    args = parser.parse_args()
    cluster = Cluster(
        database="collis_bench_fault",
        # Short enough to watch: heartbeat every second, and Redis redelivers an unacknowledged
        # message after 8 s, while the long job is still running.
        extra_env={"JOBS_LEASE_SECONDS": "4", "CELERY_VISIBILITY_TIMEOUT": "8"},
    )
    print("starting the multi-node cluster ...", flush=True)
    cluster.start()
    results = {}
    try:
        os.environ.update(cluster.env())
        import django

        django.setup()
        for name, case in CASES.items():
            if args.only and name != args.only:
                continue
            print(f"== {name}", flush=True)
            try:
                ok, lines = case(cluster)
            except Exception as exc:  # noqa: BLE001 - a crashed case is a failed case
                ok, lines = False, [f"- crashed: {type(exc).__name__}: {exc}"]
            section = "\n".join([f"### {name}: {'PASS' if ok else 'FAIL'}", *lines])
            print(section, flush=True)
            results[name] = (ok, section)
    finally:
        cluster.stop()
    verdict = all(ok for ok, _ in results.values()) and bool(results)
    report = "\n\n".join(
        [
            f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: fault tests "
            f"(bench/fault_test.py, multi-node cluster, 2 shared cores): "
            f"{'PASS' if verdict else 'FAIL'}",
            *(section for _, section in results.values()),
        ]
    )
    append_results(report)
    raise SystemExit(0 if verdict else 1)


if __name__ == "__main__":
    main()
