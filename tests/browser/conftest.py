"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here; `make test` installs Debian's chromium.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# How long a statement waits for a table lock, as the clinic's SQLite file waits (settings.py).
TABLE_LOCK_WAIT_S = 20
JOB_THREAD = "collis-jobs"  # collis.jobs.backends.InProcessWorker's thread


@pytest.fixture(autouse=True, scope="session")
def _sqlite_waits_for_table_locks():
    """On SQLite the test database is in memory with a shared cache, which locks whole tables
    and fails at once ("database table is locked": no busy timeout applies there). A page
    written while the in-process job thread writes then answered 503 (the posture journey,
    about one run in seven). The clinic's SQLite file waits up to 20 s for the lock instead;
    here a page's statement refused for a table lock is retried for as long.
    """
    from django.db.backends.sqlite3 import base

    original = base.SQLiteCursorWrapper.execute

    def execute(self, query, params=None):
        if threading.current_thread().name == JOB_THREAD:
            # The job thread fails fast, as it always did here, and its loop tries again: if it
            # waited too, a page's transaction and the job's could each wait for the other.
            return original(self, query, params)
        deadline = time.monotonic() + TABLE_LOCK_WAIT_S
        while True:
            try:
                return original(self, query, params)
            except sqlite3.OperationalError as exc:
                if "table is locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    base.SQLiteCursorWrapper.execute = execute
    yield
    base.SQLiteCursorWrapper.execute = original


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            # A synthetic camera (no real device, no permission prompt) for camera journeys.
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    }


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with demo data loaded."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    return live_server


@pytest.fixture
def sign_in(page):
    """``sign_in(site, username, password)``: the sign-in form, then the TOTP step for staff.

    Demo staff have authenticators with published keys (see demo/two_factor.py); the
    code is computed the way an authenticator app would.
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def _sign_in(site, username: str, password: str) -> None:
        page.goto(site.url + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if "/two-factor/verify/" in page.url:
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
            page.get_by_label("Code").fill(str(code).zfill(device.digits))
            page.get_by_role("button", name="Verify").click()

    return _sign_in
