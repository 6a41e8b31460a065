"""Posture recordings in the clinic: what the web shell adds on top of the engine.

1. The annotated still of a video (a second decode up to the chosen frame and one detection)
   against analyze() without it, on a synthetic 10-s tremor video.
2. Result-page charts (angles over time, tremor spectrum) for a 2-minute, 30-fps result: build
   time and SVG size, thinned for display (the page) against every frame (what thinning saves).

Run: .venv/bin/python bench/bench_recordings.py   (appends a dated section to bench/RESULTS.md)
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "posture")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")
REPEATS = 3


def _best(func, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def still_cost() -> list[str]:
    from synthetic_media import tremor_video

    from collis.posture import analyze

    with tempfile.TemporaryDirectory() as folder:
        video = tremor_video(Path(folder) / "tremor.mp4", 5.0, 2.0, 10.0)
        still = Path(folder) / "still.png"
        analyze(video)  # warm-up: model loading, page cache
        plain = _best(lambda: analyze(video))
        with_still = _best(lambda: analyze(video, annotate_to=still))
    return [
        f"- 10-s 480×360 30-fps video, best of {REPEATS}: analyze() {plain:.2f} s, with the "
        f"annotated still {with_still:.2f} s (+{with_still - plain:.2f} s, "
        f"{with_still / plain:.2f}×).",
    ]


def _long_result(seconds: float = 120.0, fps: int = 30) -> dict:
    t = [i / fps for i in range(int(seconds * fps))]
    roll = [2.0 * math.sin(2 * math.pi * 4.0 * x) + 8.0 for x in t]
    return {
        "kind": "video",
        "tremor": {"frequency_hz": 4.0, "amplitude_deg": 2.0, "axis": "roll"},
        "series": {
            "t": t,
            "rotation_deg": [25.0 + 0.01 * i % 3 for i in range(len(t))],
            "laterocollis_deg": roll,
            "flexion_deg": [1.0] * len(t),
        },
    }


def chart_cost() -> list[str]:
    import django

    django.setup()
    from collis.recordings import presentation

    result = _long_result()
    frames = len(result["series"]["t"])
    lines = []
    for label, most in (("thinned (page)", presentation.MAX_CHART_POINTS), ("every frame", 10**9)):
        presentation.MAX_CHART_POINTS = most
        over_time = _best(lambda: presentation.angles_over_time_chart(result))
        spectrum = _best(lambda: presentation.tremor_spectrum_chart(result))
        size = len(presentation.angles_over_time_chart(result).svg)
        size += len(presentation.tremor_spectrum_chart(result).svg)
        lines.append(
            f"- {frames}-frame result, {label}: angles-over-time chart {over_time * 1000:.0f} ms, "
            f"spectrum chart {spectrum * 1000:.0f} ms, both SVGs {size / 1024:.0f} kB."
        )
    presentation.MAX_CHART_POINTS = 300
    return lines


def main() -> None:
    load = "/".join(f"{v:.2f}" for v in os.getloadavg())
    lines = [f"## {date.today().isoformat()} — posture recordings (web shell)", ""]
    lines.append(f"Load average at start {load} (2 cores shared by 4 engineers).")
    lines += still_cost()
    lines += chart_cost()
    text = "\n".join(lines)
    print(text)
    with (ROOT / "bench" / "RESULTS.md").open("a") as results:
        results.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
