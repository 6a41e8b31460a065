"""The benchmarks that sign in still run to the end (`make bench` is not part of CI).

`bench_clinical.py` stopped `make bench` for a while: `Client.login` fails under django-axes and
nothing ran the script. These run it and the FHIR bench in a fresh process on their own
throw-away SQLite database, as `make bench` does, with the results written to a temporary file
instead of bench/RESULTS.md. No figure is checked here: the benches measure, tests do not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Only what a shell needs: no DATABASE_URL, broker or cache from the test run, so the script
# builds its own SQLite database as it does under `make bench`.
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "heading"),
    [
        ("bench_clinical.py", "bench_clinical.py (SQLite"),
        ("bench_fhir.py", "bench_fhir.py (SQLite"),
    ],
)
def test_bench_script_runs_to_the_end(tmp_path: Path, script: str, heading: str) -> None:
    results = tmp_path / "RESULTS.md"
    env = {key: os.environ[key] for key in KEPT if key in os.environ}
    env["COLLIS_BENCH_RESULTS"] = str(results)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert heading in results.read_text(encoding="utf-8")
