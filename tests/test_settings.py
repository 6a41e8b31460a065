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


def _production_value(expression: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DB_CONN_MAX_AGE"}}
    clean.update(DEBUG="false", SECRET_KEY="x" * 30 + "9f8e7d6c5b4a39281706f5e4d3c2b1a0", **env)
    clean["PYTHONPATH"] = "src"
    result = subprocess.run(
        [sys.executable, "-c", f"import collis.settings as s; print({expression})"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_persistent_health_checked_database_connections_by_default():
    """Issue #20: a connection per request cost 60 % of the throughput on PostgreSQL."""
    db = "s.DATABASES['default']"
    url = "postgres://collis:collis@127.0.0.1:5432/collis"
    expression = f"{db}['CONN_MAX_AGE'], {db}['CONN_HEALTH_CHECKS']"
    assert _production_value(expression, DATABASE_URL=url) == "600 True"
    assert _production_value(expression) == "600 True"  # SQLite too
    assert _production_value(f"{db}['CONN_MAX_AGE']", DB_CONN_MAX_AGE="0") == "0"


def test_sqlite_production_path_uses_wal_and_a_busy_timeout():
    options = _production_value("s.DATABASES['default']['OPTIONS']")
    assert "journal_mode=WAL" in options and "'timeout': 20" in options
    assert "IMMEDIATE" in options


def test_redis_cache_is_the_resilient_backend():
    backend = _production_value(
        "s.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/1"
    )
    assert backend == "collis.lib.cache.ResilientRedisCache"


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
