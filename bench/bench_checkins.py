"""Home check-ins (issue #16): time from upload to analysed result, against the 15-s target.

A guided check-in clip (the rendered head following the protocol's timing, tests/checkins/
protocol_clip.py) is sent through the real portal upload (Django test client, a migrated SQLite
file, the in-process "thread" job backend as on a one-server install) and the clock runs until
the analysis is stored: upload checks, storing the video, queueing, the measuring pass, the
per-segment annotated stills, saving. Reported per clip: wall seconds (the issue's target is
15 s wall) and CPU seconds of this process (all threads: the request and the worker).

Run: .venv/bin/python bench/bench_checkins.py   (appends a dated section to bench/RESULTS.md)
Options: --no-write (print only), --clips 15s-480p,15s-720p,27s-720p
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [
    str(ROOT / "src"),
    str(ROOT / "tests" / "posture"),
    str(ROOT / "tests" / "checkins"),
]
TARGET_WALL_S = 15.0  # issue #16: "analysed in under 15 s wall on this 2-core machine"
CLIPS = {
    # name: (seconds, width, height, fps)
    "15s-480p": (15.0, 640, 480, 30),  # what the browser recorder sends (640 × 480 asked)
    "15s-720p": (15.0, 1280, 720, 30),  # a phone's camera app
    "27s-720p": (27.0, 1280, 720, 30),  # the whole protocol, close to the 30-s clip
    "30s-720p": (30.0, 1280, 720, 30),  # the 30-s phone clip (the protocol, then still)
}


def _setup(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["COLLIS_VAR_DIR"] = str(folder / "var")
    os.environ["JOBS_BACKEND"] = "thread"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", verbosity=0, stdout=StringIO())


def _clip(name: str) -> Path:
    import head_render
    from protocol_clip import protocol_clip

    seconds, width, height, fps = CLIPS[name]
    clip = replace(protocol_clip(fps), name=f"bench-checkin-{name}", seconds=seconds,
                   width=width, height=height)  # fmt: skip
    return head_render.render_clip(clip)


def _patient(index: int):  # noqa: ANN202
    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role
    from collis.checkins.actions import give_consent
    from collis.patients.models import Patient

    user = ensure_user_with_role(f"bench-{index}", Role.PATIENT, password="bench-pw-123456")
    patient = Patient.objects.create(
        user=user, mrn=f"B-{index:04d}", given_name="Bench", family_name=f"Patient {index}"
    )
    give_consent(None, patient=patient)
    return patient


def measure(name: str, index: int) -> dict[str, float | str]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from collis.checkins.models import HomeCheckin

    video = _clip(name).read_bytes()
    patient = _patient(index)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(patient.user)
    upload = SimpleUploadedFile("checkin.mp4", video, content_type="video/mp4")
    cpu0, wall0 = time.process_time(), time.perf_counter()
    response = client.post(reverse("checkins:portal-new"), {"file": upload})
    request_s = time.perf_counter() - wall0
    assert response.status_code == 302, response.status_code
    checkin = HomeCheckin.objects.filter(patient=patient).get()
    while True:
        checkin.refresh_from_db()
        if checkin.is_analysed or checkin.error_message:
            break
        if time.perf_counter() - wall0 > 600:
            raise RuntimeError("no result after 600 s")
        time.sleep(0.05)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    assert checkin.is_analysed, checkin.error_message
    return {
        "clip": name,
        "mb": len(video) / 1e6,
        "request_s": request_s,
        "wall_s": wall,
        "cpu_s": cpu,
        "stills": checkin.stills.count(),
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--clips", default="15s-480p,15s-720p")
    args = parser.parse_args()
    names = [n for n in args.clips.split(",") if n]
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        for name in names:
            _clip(name)  # rendered (and cached) before any clock runs
        from collis.posture import analyze

        analyze(_clip(names[0]))  # warm-up: model loading and the page cache, as on a live worker
        load_before = os.getloadavg()[0]
        rows = [measure(name, i) for i, name in enumerate(names)]
        from collis.jobs.backends import InProcessWorker

        InProcessWorker.stop()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {stamp} · home check-ins: upload to analysed result (bench/bench_checkins.py)",
        "",
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs visible, SQLite, in-process "
        f"job worker; load average before the runs {load_before:.1f}. One run per clip (CPU is "
        "shared by four engineers); the target is the issue's 15 s wall.",
        "",
        "| clip (guided protocol) | video MB | upload request s | upload → result wall s "
        "| CPU s | stills | load avg | 15-s target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        verdict = "met" if r["wall_s"] <= TARGET_WALL_S else "MISSED"
        lines.append(
            f"| {r['clip']} 30 fps | {r['mb']:.1f} | {r['request_s']:.2f} | {r['wall_s']:.1f} "
            f"| {r['cpu_s']:.1f} | {r['stills']} | {r['load']:.1f} | {verdict} |"
        )
    lines += [
        "",
        "Reproduce: `.venv/bin/python bench/bench_checkins.py --clips " + ",".join(names) + "`",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
