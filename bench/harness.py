"""Shared plumbing for the load and fault benchmarks: a production-mode server on loopback.

Everything here talks to 127.0.0.1 only. ``Server`` runs gunicorn over PostgreSQL with
``DEBUG=false`` (collected static files, JSON logs at WARNING), the way ``make serve-prod`` does.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = "postgresql://collis:collis@127.0.0.1:5432/postgres"
PYTHON = sys.executable


def fresh_database(name: str) -> str:
    """Drop and create a PostgreSQL database; return its DATABASE_URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://collis:collis@127.0.0.1:5432/{name}"


@dataclass
class Server:
    database_url: str
    port: int = 8790
    workers: int = 5
    threads: int = 4
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        static_root = Path(tempfile.gettempdir()) / "collis-bench-static"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            DJANGO_SETTINGS_MODULE="collis.settings",
            PYTHONPATH=str(ROOT / "src"),
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            STATIC_ROOT=str(static_root),
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            LOG_LEVEL="WARNING",
            DB_CONN_MAX_AGE="60",
            # One loopback address sends every request; per-address limits would answer 429.
            BOOKING_RATE_LIMIT="100000/m",
            JOBS_BACKEND="sync",
        )
        env.update(self.extra_env)
        return env

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            env=self.env(), cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    def prepare(self) -> None:
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("seed_demo")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "collis.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             "--threads", str(self.threads), "--worker-class", "gthread", "--timeout", "60",
             "--log-level", "warning"],
            env=self.env(), cwd=ROOT, stdout=self._log(), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("the server did not become ready")

    def _log(self):  # noqa: ANN202
        """The server's own log (JSON lines) goes to var/, not over the benchmark's report."""
        path = ROOT / "var" / f"bench-server-{self.port}.log"
        path.parent.mkdir(exist_ok=True)
        return path.open("a")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def signed_in_client(user, **client_kwargs):
    """A Django test client signed in as ``user``, past the second factor for staff.

    ``Client.login`` cannot be used: django-axes needs the request to authenticate.
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(**client_kwargs)
    client.force_login(user)
    if user.is_staff:  # staff always need a second factor (collis.accounts.two_factor)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def append_results(section: str) -> None:
    """Append a dated section to bench/RESULTS.md (or to $COLLIS_BENCH_RESULTS: the smoke test
    runs the scripts without touching the record)."""
    results = Path(os.environ.get("COLLIS_BENCH_RESULTS") or ROOT / "bench" / "RESULTS.md")
    with results.open("a", encoding="utf-8") as fh:
        fh.write("\n" + section.rstrip() + "\n")
