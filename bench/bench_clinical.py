"""Clinical record: scoring, label checks, wearing-off detection and the record page.

Prints figures and appends a dated section to bench/RESULTS.md. Runs on a throw-away SQLite
database seeded with the demo data (no service needed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["COLLIS_VAR_DIR"] = tempfile.mkdtemp(prefix="collis-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")


def per_call_us(fn, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1e6


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from harness import signed_in_client

    from collis.diary.wearing_off import assess_wearing_off
    from collis.injections import dosing
    from collis.patients.models import Patient
    from collis.scales.twstrs import ITEMS, score_twstrs

    User = get_user_model()  # noqa: N806 (the model class)

    lines = []
    answers = {item.key: item.maximum // 2 for item in ITEMS}
    lines.append(f"score_twstrs: {per_call_us(lambda: score_twstrs(answers), 20000):.1f} µs/call")

    label = dosing.LABELS[dosing.ProductCode.ONABOTULINUMTOXINA]
    plan = dosing.SessionPlan(
        label,
        date(2026, 6, 1),
        tuple(dosing.PlannedInjection(m, dosing.Side.LEFT, 30) for m in list(dosing.MUSCLES)[:8]),
    )
    history = [
        dosing.PastSession(label.code, date(2026, 6, 1) - timedelta(days=90 * n), 240)
        for n in range(1, 41)
    ]
    check_us = per_call_us(lambda: dosing.check_session(plan, history), 5000)
    lines.append(f"check_session (8 muscles, 40 past sessions): {check_us:.1f} µs/call")

    injected = date(2026, 1, 1)
    diary = [(injected + timedelta(days=d), 5 + (d % 7) / 7) for d in range(-14, 84)]
    wearing_us = per_call_us(
        lambda: assess_wearing_off(injected, injected + timedelta(days=84), diary), 200
    )
    lines.append(f"assess_wearing_off (98 daily entries): {wearing_us:.0f} µs/call")

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", stdout=StringIO())
    lines.append(
        f"seed_demo (40 patients, 10 with clinical history): {time.perf_counter() - started:.2f} s"
    )

    client = signed_in_client(User.objects.get(username="dr.maya-okafor"), HTTP_HOST="127.0.0.1")
    patient = Patient.objects.get(mrn="DEMO-0001")
    url = f"/clinic/patients/{patient.pk}/"
    client.get(url)  # warm templates
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for _ in range(20):
            response = client.get(url)
        elapsed = (time.perf_counter() - started) / 20
    assert response.status_code == 200
    lines.append(
        f"clinical record page (DEMO-0001, {len(response.content) // 1024} KiB): "
        f"{elapsed * 1000:.1f} ms, {len(queries) // 20} queries"
    )
    client = signed_in_client(User.objects.get(username="patient"), HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for _ in range(20):
            response = client.get("/portal/charts/")
        elapsed = (time.perf_counter() - started) / 20
    assert response.status_code == 200
    lines.append(f"portal charts page: {elapsed * 1000:.1f} ms, {len(queries) // 20} queries")
    for line in lines:
        print(line)
    from harness import append_results

    heading = f"## {date.today().isoformat()} bench_clinical.py (SQLite, 2 cores)"
    append_results("\n".join([heading, "", *(f"- {line}" for line in lines)]))


if __name__ == "__main__":
    main()
