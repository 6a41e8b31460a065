"""Home check-ins (issue #16): N patients upload in the same minute; none fails, the queue drains.

The production layout on one machine, from the load-test harness (bench/cluster.py, as
``bench/load_test.py --layout single`` runs it): gunicorn with deploy/gunicorn.conf.py over
PostgreSQL, ``--workers`` Celery worker processes at concurrency 1 (default 2, the same as one
worker at the default ``CELERY_CONCURRENCY=2``), beat, Redis as broker and cache, S3 (moto).

N synthetic patients are made with the app's own actions (a portal account as the demo's portal
patient gets, then ``give_consent`` for home recordings). Each of N client threads signs in with
its password over real HTTP (patients have no second factor unless they enrolled one), then at
its moment within ``--spread`` seconds (seeded random, so bursts cluster as real ones do) opens
the check-in page and POSTs one rendered protocol clip (bench/bench_checkins.py's clip, 15 s
480p by default) with the portal upload form's fields. The clock then runs until every
check-in's analysis job has finished.

Reported: every request's HTTP status (any answer but 2xx/3xx, or a client error, fails the
run), upload response p50/p95/max, the queue's deepest point, when the last analysis finished
counted from the last upload's answer and from the first upload's start (the queue drain
time), per check-in upload → result p50/p95, failed or retried analyses (must be 0), CPU
seconds of the web server and the workers (per check-in), load average. Exit status 0 only if
every upload was accepted and every check-in analysed.

Run (full N, appends a dated section to bench/RESULTS.md):
    COLLIS_BENCH_PORT_BASE=8670 COLLIS_BENCH_DATABASE=collis_burst \
        .venv/bin/python bench/bench_checkin_burst.py
Tiny check: ... bench/bench_checkin_burst.py --patients 3 --spread 5 --no-write
(Only a run with the full ``--patients 50`` is written to RESULTS.md.)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import threading
import time
from collections import Counter
from datetime import UTC, datetime

import requests
from bench_checkins import CLIPS, _clip
from cluster import Cluster
from harness import append_results, percentile
from load_test import _cpu_seconds, _process_tree

FULL_N = 50
PASSWORD = "burst-bench-password-2026"  # noqa: S105 - a throwaway bench database
CHECKIN_ID = re.compile(r"/portal/checkins/(\d+)/")


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Client:
    """One patient's browser: sign in, then one check-in upload at its moment."""

    def __init__(self, base: str, username: str, video: bytes, address: str) -> None:
        self.base, self.username, self.video = base, username, video
        self.session = requests.Session()
        # Each patient from an address of their own (127.0.0.2, ...: all loopback on Linux), as
        # 50 phones are: the sign-in limit (30/min) is per address.
        self.session.mount("http://", SourceAddressAdapter(address))
        self.statuses: list[tuple[str, int]] = []
        self.errors: list[str] = []
        self.upload_start = self.upload_end = 0.0  # epoch seconds
        self.checkin_id: int | None = None

    def _request(self, kind: str, method: str, path: str, **kwargs) -> requests.Response | None:  # noqa: ANN003
        try:
            response = self.session.request(
                method, self.base + path, timeout=120, allow_redirects=False, **kwargs
            )
        except requests.RequestException as exc:
            self.errors.append(f"{kind}: {type(exc).__name__}")
            return None
        self.statuses.append((kind, response.status_code))
        if not 200 <= response.status_code < 400:
            self.errors.append(f"{kind}: HTTP {response.status_code}")
        return response

    def _form_post(self, kind: str, path: str, data: dict, **kwargs) -> requests.Response | None:  # noqa: ANN003
        data = data | {"csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        return self._request(
            kind, "POST", path, data=data, headers={"Referer": self.base + path}, **kwargs
        )

    def sign_in(self) -> bool:
        if self._request("sign-in page", "GET", "/accounts/login/") is None:
            return False
        response = self._form_post(
            "sign-in", "/accounts/login/", {"username": self.username, "password": PASSWORD}
        )
        if (
            response is None
            or response.status_code != 302
            or "login" in response.headers.get("Location", "")
        ):
            self.errors.append("sign-in: not signed in")
            return False
        return True

    def upload(self) -> None:
        self._request("check-in page", "GET", "/portal/checkins/new/")
        self.upload_start = time.time()
        response = self._form_post(
            "upload",
            "/portal/checkins/new/",
            {"note": "", "mirrored": ""},
            files={"file": ("checkin.mp4", self.video, "video/mp4")},
        )
        self.upload_end = time.time()
        if response is not None:
            found = CHECKIN_ID.search(response.headers.get("Location", ""))
            if response.status_code == 302 and found:
                self.checkin_id = int(found.group(1))
            else:
                self.errors.append(f"upload: not accepted (HTTP {response.status_code})")


def make_patients(count: int) -> list[str]:
    """Portal accounts with home-video consent, through the app's actions (as demo data)."""
    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role
    from collis.checkins.actions import give_consent
    from collis.patients.models import Patient

    names = []
    for n in range(count):
        username = f"burst-{n:03d}"
        user = ensure_user_with_role(username, Role.PATIENT, password=PASSWORD,
                                     first_name="Burst", last_name=f"Patient {n}")  # fmt: skip
        patient = Patient.objects.create(
            user=user,
            mrn=f"BURST-{n:04d}",
            given_name="Burst",
            family_name=f"Patient {n}",
            email=f"burst{n}@example.com",
        )
        give_consent(None, patient=patient)
        names.append(username)
    return names


def analyze_jobs():  # noqa: ANN201
    from collis.checkins.actions import ANALYZE_JOB
    from collis.jobs.models import Job

    return Job.objects.filter(name=ANALYZE_JOB)


class Sampler(threading.Thread):
    """Every second: analysis jobs queued and running, and the 1-min load average."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop_event = threading.Event()
        self.max_queued = self.max_running = 0
        self.max_load = 0.0

    def run(self) -> None:
        from django.db import connection

        from collis.jobs.models import Job

        try:
            while not self.stop_event.wait(1.0):
                counts = Counter(analyze_jobs().values_list("state", flat=True))
                self.max_queued = max(self.max_queued, counts[Job.State.QUEUED])
                self.max_running = max(self.max_running, counts[Job.State.RUNNING])
                self.max_load = max(self.max_load, os.getloadavg()[0])
        finally:
            connection.close()


def wait_for_drain(ids: list[int], timeout: float) -> list:
    """Poll until every check-in's analysis job is done or failed (or the timeout)."""
    from collis.checkins.models import HomeCheckin
    from collis.jobs.models import Job

    deadline = time.monotonic() + timeout
    while True:
        rows = list(HomeCheckin.objects.filter(pk__in=ids).select_related("job"))
        pending = [
            c for c in rows
            if c.job is None or c.job.state in (Job.State.QUEUED, Job.State.RUNNING)
        ]  # fmt: skip
        if not pending or time.monotonic() > deadline:
            return rows
        time.sleep(1.0)


def worker_cpu(cluster: Cluster) -> float:
    return sum(
        _cpu_seconds(_process_tree(p.pid)) for name, p in cluster.procs.items()
        if name.startswith("worker-")
    )  # fmt: skip


def web_cpu(cluster: Cluster) -> float:
    return _cpu_seconds(_process_tree(cluster.procs["web-a"].pid))


def main() -> None:  # noqa: PLR0915 - one straight run, easier to read in one place
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=FULL_N)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds the uploads span")
    parser.add_argument("--clip", choices=sorted(CLIPS), default="15s-480p")
    parser.add_argument("--workers", type=int, default=2, help="Celery workers (concurrency 1)")
    parser.add_argument("--timeout", type=float, default=1800, help="max seconds to drain")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    video = _clip(args.clip).read_bytes()  # rendered (and cached) before anything is timed
    cluster = Cluster(
        database=os.environ.get("COLLIS_BENCH_DATABASE", "collis_bench_burst"),
        webs=1,
        workers=args.workers,
    )
    print(f"starting: 1 web (gunicorn.conf defaults), {args.workers} Celery worker(s), beat, "
          "Redis, S3, PostgreSQL ...", flush=True)  # fmt: skip
    cluster.start(seed=False)
    try:
        os.environ.update(cluster.env())
        import django

        django.setup()
        from django.db import connection

        usernames = make_patients(args.patients)
        connection.close()
        clients = [
            Client(cluster.url, name, video, f"127.0.{n // 250}.{n % 250 + 2}")
            for n, name in enumerate(usernames)
        ]
        signed_in = [threading.Thread(target=c.sign_in) for c in clients]
        for thread in signed_in:
            thread.start()
        for thread in signed_in:
            thread.join()

        rng = random.Random(16)  # noqa: S311 - a reproducible spread, not security
        offsets = sorted(rng.uniform(0, args.spread) for _ in clients)
        cpu_web0, cpu_workers0 = web_cpu(cluster), worker_cpu(cluster)
        load_before = os.getloadavg()[0]
        sampler = Sampler()
        sampler.start()
        began = time.monotonic()

        def at(client: Client, offset: float) -> None:
            time.sleep(max(0.0, began + offset - time.monotonic()))
            if not client.errors:  # a client that could not sign in has already failed
                client.upload()

        pairs = zip(clients, offsets, strict=True)
        threads = [threading.Thread(target=at, args=pair) for pair in pairs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"uploads sent in {time.monotonic() - began:.0f} s; waiting for the analyses ...",
              flush=True)  # fmt: skip
        ids = [c.checkin_id for c in clients if c.checkin_id is not None]
        rows = wait_for_drain(ids, args.timeout)
        sampler.stop_event.set()
        sampler.join()
        cpu_web, cpu_workers = web_cpu(cluster) - cpu_web0, worker_cpu(cluster) - cpu_workers0
        connection.close()
    finally:
        cluster.stop()
    load_after = os.getloadavg()[0]

    from collis.jobs.models import Job

    statuses = Counter(s for c in clients for s in c.statuses)
    errors = Counter(e for c in clients for e in c.errors)
    uploads = [c for c in clients if c.upload_end]
    upload_ms = [(c.upload_end - c.upload_start) * 1000 for c in uploads]
    done = [c for c in rows if c.job and c.job.state == Job.State.DONE and c.is_analysed]
    failed = [c for c in rows if c.job is not None and c.job.state == Job.State.FAILED]
    failed += [c for c in rows if c.error_message and c not in failed]
    unfinished = [c for c in rows if c not in done and c not in failed]
    retried = sum(1 for c in rows if c.job is not None and c.job.attempts > 1)
    all_done = len(done) == args.patients
    first_start = min((c.upload_start for c in uploads), default=0.0)
    last_end = max((c.upload_end for c in uploads), default=0.0)
    finished = [c.job.finished_at.timestamp() for c in done]
    last_finished = max(finished, default=float("nan"))
    ends = {c.checkin_id: c.upload_end for c in uploads}
    to_result = [c.job.finished_at.timestamp() - ends[c.pk] for c in done]
    waited = [(c.job.started_at - c.job.created_at).total_seconds() for c in done]
    ok = not errors and all_done and not failed and not unfinished
    verdict = "PASS" if ok else "FAIL"

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    mb = len(video) / 1e6
    lines = [
        f"## {stamp} · home check-ins: {args.patients} patients upload within "
        f"{args.spread:.0f} s (bench/bench_checkin_burst.py)",
        "",
        f"1 web server (gunicorn, deploy/gunicorn.conf.py defaults), {args.workers} Celery "
        "worker(s) at concurrency 1, beat, Redis, S3 (moto), PostgreSQL; 2 shared cores. Each "
        f"patient signs in with a password and uploads one {args.clip} guided protocol clip "
        f"({mb:.1f} MB) through the portal form, at a seeded random moment within "
        f"{args.spread:.0f} s.",
        "",
        f"- Requests: {sum(statuses.values())}; statuses: "
        + ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(statuses.items())),
        f"- Failed requests (not 2xx/3xx, client errors, uploads not accepted): "
        f"{sum(errors.values())} {dict(errors) if errors else ''}",
        f"- Upload response: p50 {percentile(upload_ms, 50):.0f} ms, p95 "
        f"{percentile(upload_ms, 95):.0f} ms, max {max(upload_ms, default=float('nan')):.0f} ms "
        f"({len(uploads)} uploads)",
        f"- Queue: deepest {sampler.max_queued} check-ins waiting, {sampler.max_running} "
        "analysing at once",
        f"- Queue drain: last analysis finished {last_finished - last_end:.0f} s after the last "
        f"upload's answer, {last_finished - first_start:.0f} s after the first upload began",
        f"- Per check-in: upload → analysed p50 {percentile(to_result, 50):.0f} s, p95 "
        f"{percentile(to_result, 95):.0f} s; waited in the queue p50 "
        f"{percentile(waited, 50):.0f} s, p95 {percentile(waited, 95):.0f} s",
        f"- Analyses: {len(done)} of {args.patients} done, failed {len(failed)}, unfinished "
        f"{len(unfinished)}, retried {retried}",
        f"- CPU: workers {cpu_workers:.0f} s ({cpu_workers / max(1, len(done)):.1f} s per "
        f"check-in), web {cpu_web:.0f} s; load average (1 min) before {load_before:.1f}, "
        f"highest during {sampler.max_load:.1f}, after {load_after:.1f}",
        f"- Verdict: {verdict}",
        "",
        "Reproduce: `COLLIS_BENCH_PORT_BASE=8670 COLLIS_BENCH_DATABASE=collis_burst "
        f".venv/bin/python bench/bench_checkin_burst.py --patients {args.patients} "
        f"--spread {args.spread:g} --clip {args.clip} --workers {args.workers}`",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.no_write:
        pass
    elif args.patients < FULL_N:
        print(f"(not written to RESULTS.md: only a run with --patients {FULL_N} or more is)")
    else:
        append_results(report)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
