"""Production mode refuses unsafe configuration at start-up."""

import os
import subprocess
import sys


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env)
    clean["PYTHONPATH"] = "src"
    return subprocess.run(
        [sys.executable, "-c", "import collis.settings as s; print(s.DEBUG, s.TIME_ZONE)"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_defaults_need_no_configuration():
    result = _load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True America/Chicago"


def test_production_without_secret_key_refuses_to_start():
    result = _load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_weak_secret_key_refuses_to_start():
    result = _load_settings(DEBUG="false", SECRET_KEY="short")
    assert "too weak" in result.stderr


def test_production_with_real_key_starts():
    result = _load_settings(DEBUG="false", SECRET_KEY="x" * 30 + "9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    assert result.returncode == 0, result.stderr


def test_bad_values_are_named():
    assert "DEBUG must be true or false" in _load_settings(DEBUG="maybe").stderr
    assert "CLINIC_TIME_ZONE" in _load_settings(CLINIC_TIME_ZONE="Mars/Olympus").stderr


def test_make_run_links_emails_to_the_port_it_serves():
    """Issue #11 defect 15: `make run PORT=8123` emails links on 8123, not SITE_URL's 8000."""
    import shutil
    import subprocess
    from pathlib import Path

    assert shutil.which("make"), "make runs the project; it must be installed"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=127.0.0.1"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8123}"' in out
