"""FHIR server: $everything per demo patient, Slot and Appointment searches, a single read.

Prints figures (time and SQL queries per request) and appends a dated section to
bench/RESULTS.md. Runs on a throw-away SQLite database seeded with the demo data.

Run: .venv/bin/python bench/bench_fhir.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["COLLIS_VAR_DIR"] = tempfile.mkdtemp(prefix="collis-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role
    from collis.interop.actions import issue_api_token
    from collis.patients.models import Patient

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    user = ensure_user_with_role("bench-clinician", Role.CLINICIAN, password="bench-pw-123456")
    _, raw = issue_api_token(user, "bench", ["*.read"])
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")

    def timed(url: str, params: dict | None = None, repeat: int = 10) -> tuple[float, int, dict]:
        client.get(url, params or {})  # warm up
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            for _ in range(repeat):
                response = client.get(url, params or {})
            elapsed = (time.perf_counter() - started) / repeat
        assert response.status_code == 200, (url, response.content[:300])
        return elapsed * 1000, len(queries) // repeat, response.json()

    lines = []
    per_patient = []
    for patient in Patient.objects.order_by("pk"):
        ms, queries, bundle = timed(f"/fhir/Patient/{patient.pk}/$everything", repeat=3)
        per_patient.append((ms, queries, len(bundle.get("entry", []))))
    biggest = max(per_patient, key=lambda row: row[2])
    lines.append(
        f"$everything over {len(per_patient)} demo patients: median "
        f"{statistics.median(r[0] for r in per_patient):.1f} ms; largest record "
        f"({biggest[2]} resources) {biggest[0]:.1f} ms, {biggest[1]} queries"
    )
    for label, url, params in [
        ("Slot search, first 20 of the next 31 days", "/fhir/Slot", {}),
        (
            "Slot search, one week, all types",
            "/fhir/Slot",
            {"start": ["ge2026-12-07", "le2026-12-13"]},
        ),
        ("Appointment search, 100 per page", "/fhir/Appointment", {"_count": 100}),
        (
            "MedicationAdministration search, 100 per page",
            "/fhir/MedicationAdministration",
            {"_count": 100},
        ),
        ("Observation search, 100 per page", "/fhir/Observation", {"_count": 100}),
    ]:
        ms, queries, bundle = timed(url, params)
        lines.append(
            f"{label}: {ms:.1f} ms, {queries} queries, {len(bundle.get('entry', []))} entries "
            f"(total {bundle['total']})"
        )
    for line in lines:
        print(line)
    from harness import append_results

    heading = f"## {date.today().isoformat()} bench_fhir.py (SQLite, 2 cores)"
    append_results("\n".join([heading, "", *(f"- {line}" for line in lines)]))


if __name__ == "__main__":
    main()
