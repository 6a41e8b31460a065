"""Issue #20: under serve-prod's supervisord, a process that dies is restarted on its own.

Runs the real deploy/supervisord.conf with gunicorn only (no broker), SIGKILLs gunicorn's master
and waits for supervisord to bring the site back. (`wait -n` ended everything instead.)
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PORT = 8184


def _healthy(timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):  # noqa: S310
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _ctl(env: dict[str, str], *args: str) -> str:
    return subprocess.run(  # noqa: S603
        [str(BIN / "supervisorctl"), "-c", str(ROOT / "deploy" / "supervisord.conf"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def test_a_killed_web_server_is_restarted_by_supervisord(tmp_path):
    if not (BIN / "supervisord").exists():
        pytest.skip("supervisor is not installed")
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "COLLIS_HOME": str(ROOT),
        "COLLIS_VAR_DIR": str(tmp_path),
        "COLLIS_BIN": str(BIN),
        "PYTHONPATH": str(ROOT / "src"),
        "BIND": f"127.0.0.1:{PORT}",
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
        "COLLIS_NODE": "test",
        "COLLIS_CELERY": "false",
        "COLLIS_BEAT": "false",
    }
    env.pop("DATABASE_URL", None)
    supervisor = subprocess.Popen(  # noqa: S603
        [str(BIN / "supervisord"), "-n", "-c", str(ROOT / "deploy" / "supervisord.conf")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert _healthy(300), "gunicorn did not start under supervisord"  # slow under load
        web_pid = int(_ctl(env, "pid", "web").strip())
        os.kill(web_pid, signal.SIGKILL)
        assert _healthy(120), "supervisord did not restart the web server"
        assert int(_ctl(env, "pid", "web").strip()) != web_pid
        deadline = time.monotonic() + 30  # RUNNING once it stayed up for startsecs (3 s)
        while "RUNNING" not in _ctl(env, "status", "web") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "RUNNING" in _ctl(env, "status", "web")
        assert "STOPPED" in _ctl(env, "status", "worker")  # no broker: not started
    finally:
        supervisor.terminate()
        try:
            supervisor.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait(10)
