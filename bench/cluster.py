"""Several servers on one machine, as plain processes: the issue #20 multi-node layout.

    web A (gunicorn :8181) ─┐
    web B (gunicorn :8182) ─┴─ proxy :8180 (bench/proxy.py, round robin)
    worker 1, worker 2 (Celery), beat x1 (SingleBeatScheduler)
    Redis :6390 (broker + cache, started here), PostgreSQL (127.0.0.1:5432, a fresh database),
    S3: moto in server mode :8183 (a private bucket)

Every process gets its own process group and log file under var/cluster/. ``Cluster`` is used by
bench/multinode.py (the demo: upload on A, analysed by a worker, shown on B), bench/load_test.py
and bench/fault_test.py. Ports stay in 8180-8199 and Redis in 6390-6399.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from harness import ROOT, fresh_database

# This checkout's code, not another copy of collis a shared virtualenv may have installed.
sys.path.insert(0, str(ROOT / "src"))

PYTHON = sys.executable
BIN = Path(PYTHON).parent
LOGS = ROOT / "var" / "cluster"
PROXY_PORT, WEB_PORTS, S3_PORT, REDIS_PORT = 8180, (8181, 8182), 8183, 6390
# COLLIS_BENCH_PORT_BASE=N moves them all to N..N+4 (another run's range on a shared machine).
if _base := int(os.environ.get("COLLIS_BENCH_PORT_BASE") or 0):
    PROXY_PORT, WEB_PORTS, S3_PORT, REDIS_PORT = _base, (_base + 1, _base + 2), _base + 3, _base + 4
BUCKET = "collis-cluster"


@dataclass
class Proc:
    name: str
    args: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = (LOGS / f"{self.name}.log").open("a")
        self.process = subprocess.Popen(  # noqa: S603
            self.args,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends its children too
        )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            os.killpg(self.pid, sig)

    def stop(self, timeout: float = 20) -> None:
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.process.wait(5)


def wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


@dataclass
class Cluster:
    database: str = "collis_prod"
    webs: int = 2
    workers: int = 2
    web_workers: int | None = None  # None: deploy/gunicorn.conf.py's default (2 x cores + 1)
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, Proc] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Where clients go: the proxy, or the only web server."""
        return f"http://127.0.0.1:{PROXY_PORT}" if self.webs > 1 else self.web_url(0)

    def web_url(self, index: int) -> str:
        return f"http://127.0.0.1:{WEB_PORTS[index]}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            DJANGO_SETTINGS_MODULE="collis.settings",
            PYTHONPATH=str(ROOT / "src"),
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            STATIC_ROOT=str(ROOT / "var" / "cluster-static"),
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            LOG_LEVEL="WARNING",
            ACCESS_LOG_LEVEL="WARNING",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            CACHE_URL=f"redis://127.0.0.1:{REDIS_PORT}/1",
            JOBS_BACKEND="celery",
            STORAGE_BACKEND="s3",
            S3_ENDPOINT_URL=f"http://127.0.0.1:{S3_PORT}",
            S3_BUCKET=BUCKET,
            AWS_ACCESS_KEY_ID="cluster",
            AWS_SECRET_ACCESS_KEY="cluster-secret",  # noqa: S106 - a throwaway local S3
            AWS_DEFAULT_REGION="us-east-1",
            BACKUP_ENCRYPTION_KEY=self.backup_key,
            # One loopback address sends every request; per-address limits would answer 429.
            BOOKING_RATE_LIMIT="100000/m",
        )
        env.update(self.extra_env)
        return env

    def __post_init__(self) -> None:
        self.secret_key = secrets.token_urlsafe(50)
        from collis.ops.crypto import new_key

        self.backup_key = new_key()
        self.database_url = ""

    def manage(self, *args: str) -> str:
        return subprocess.run(  # noqa: S603
            [PYTHON, str(ROOT / "manage.py"), *args],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    # -- the pieces ------------------------------------------------------------------------------
    def _redis(self) -> Proc:
        return Proc(
            "redis",
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            self.env(),
        )  # fmt: skip

    def _s3(self) -> Proc:
        return Proc(
            "s3", [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(S3_PORT)], self.env()
        )

    def _web(self, index: int) -> Proc:
        env = self.env() | {"BIND": f"127.0.0.1:{WEB_PORTS[index]}"}
        if self.web_workers is not None:
            env["WEB_CONCURRENCY"] = str(self.web_workers)
        return Proc(
            f"web-{'ab'[index]}",
            [str(BIN / "gunicorn"), "collis.wsgi:application",
             "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--log-level", "warning"],
            env,
        )  # fmt: skip

    def _worker(self, index: int) -> Proc:
        return Proc(
            f"worker-{index}",
            [str(BIN / "celery"), "-A", "collis", "worker", "--loglevel=WARNING",
             "--concurrency=1", f"--hostname=worker{index}@%h"],
            self.env(),
        )  # fmt: skip

    def _beat(self) -> Proc:
        return Proc(
            "beat",
            [str(BIN / "celery"), "-A", "collis", "beat", "--loglevel=WARNING",
             "--scheduler=collis.jobs.beat:SingleBeatScheduler",
             f"--schedule={LOGS / 'beat-schedule'}"],
            self.env(),
        )  # fmt: skip

    def _proxy(self) -> Proc:
        return Proc(
            "proxy",
            [PYTHON, str(ROOT / "bench" / "proxy.py"), str(PROXY_PORT),
             *(f"127.0.0.1:{p}" for p in WEB_PORTS)],
            self.env(),
        )  # fmt: skip

    def _bucket(self) -> None:
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{S3_PORT}",
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster-secret",  # noqa: S106
        )
        client.create_bucket(Bucket=BUCKET)
        client.put_public_access_block(
            Bucket=BUCKET,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )

    # -- whole cluster ---------------------------------------------------------------------------
    def start(self, *, seed: bool = True) -> None:
        """Start everything; on any failure stop what was started, then re-raise."""
        try:
            self._start(seed=seed)
        except BaseException:
            self.stop()
            raise

    def _start(self, *, seed: bool) -> None:
        self.database_url = fresh_database(self.database)
        for proc in (self._redis(), self._s3()):
            self.procs[proc.name] = proc
            proc.start()
        wait_http(f"http://127.0.0.1:{S3_PORT}/moto-api/", 30)
        self._bucket()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        if seed:
            self.manage("seed_demo")
        pieces = [self._web(i) for i in range(self.webs)]
        pieces += [self._worker(i + 1) for i in range(self.workers)]
        pieces.append(self._beat())
        if self.webs > 1:
            pieces.append(self._proxy())
        for proc in pieces:
            self.procs[proc.name] = proc
            proc.start()
        for index in range(self.webs):
            wait_http(f"{self.web_url(index)}/readyz", 240)
        wait_http(f"{self.url}/healthz")

    def restart(self, name: str) -> None:
        """Start a stopped piece again (what a supervisor would do)."""
        proc = self.procs[name]
        proc.stop()
        proc.start()

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            self.procs[name].stop()
