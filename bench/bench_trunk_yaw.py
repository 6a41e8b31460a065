"""Does BlazePose's trunk yaw follow the trunk, and only the trunk? (issue #14, item 5)

Run: ``.venv/bin/python bench/bench_trunk_yaw.py [--no-append]``.

Head-on-trunk rotation could subtract the trunk's yaw only if the yaw follows a turned trunk and
ignores a head turned on a still trunk (a torticollis). This renders stills with known angles
(tests/posture/head_render.py) on two trunks: the photo cut-out ("suit") and the shaded 3-D
mannequin (tests/posture/mannequin.py), and reads three estimates from the pose model that ships
in the wheel (static mode, the median of three noise seeds per still):

- ``world``: the metric 3-D shoulder line (collis.posture.trunk.trunk_yaw_deg, what the engine
  reports as ``trunk_yaw_deg``);
- ``pixel z``: the image landmarks' relative depth of the two shoulders;
- ``width``: acos of the 2-D shoulder width against the frontal still's (magnitude only).

Two sweeps per trunk: the trunk turned −45…+45° with the head straight on it, and a frontal
trunk with the head turned −60…+60°. For each estimate: the slope on the trunk's turn (1 is
right), the slope on the head's turn (0 is right: the "echo"), and the error at ±15/±30°.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "posture")]

TRUNK_TURNS = (-45.0, -30.0, -15.0, 0.0, 15.0, 30.0, 45.0)
HEAD_TURNS = (-60.0, -30.0, 0.0, 30.0, 60.0)
SEEDS = (1, 2, 3)
# What subtracting the yaw would need (own choice): within the engine's stated ±4° plus the
# pose model's jitter at clinically common turns (≤ 30°), and an echo of at most a tenth of
# the head's rotation (a 60° torticollis would lose ≤ 6°).
MAX_ERROR_DEG = 8.0
MAX_ECHO_SLOPE = 0.1
ESTIMATES = ("world", "pixel z", "width")


def _estimates(detector, trunk_model: str, trunk_turn: float, head_turn: float) -> dict:
    import head_render

    from collis.posture.landmarks import LEFT_SHOULDER, RIGHT_SHOULDER
    from collis.posture.trunk import trunk_yaw_deg

    clip = head_render.Clip(
        "probe",
        trunk_model=trunk_model,
        trunk_turn=head_render.Keyframes(((0.0, trunk_turn),)),
        rotation=head_render.Keyframes(((0.0, head_turn),)),
    )
    readings: dict[str, list[float]] = {name: [] for name in ("world", "pixel z", "width_px")}
    for seed in SEEDS:
        frame = head_render.render_frame(clip, 0.0, np.random.default_rng(seed))
        pose = detector.detect(frame)
        if pose is None:
            continue
        left, right = pose[LEFT_SHOULDER, :3], pose[RIGHT_SHOULDER, :3]
        width = float(np.hypot(*(left[:2] - right[:2])))
        readings["width_px"].append(width)
        readings["pixel z"].append(math.degrees(math.atan2(float(left[2] - right[2]), width)))
        if detector.shoulders_3d is not None:
            yaw = trunk_yaw_deg(detector.shoulders_3d)
            if yaw is not None:
                readings["world"].append(yaw)
    return {name: float(np.median(v)) if v else math.nan for name, v in readings.items()}


def _sweep(detector, trunk_model: str) -> dict:
    trunk = {turn: _estimates(detector, trunk_model, turn, 0.0) for turn in TRUNK_TURNS}
    head = {turn: _estimates(detector, trunk_model, 0.0, turn) for turn in HEAD_TURNS}
    frontal = trunk[0.0]["width_px"]
    for readings in (*trunk.values(), *head.values()):
        ratio = min(1.0, readings["width_px"] / frontal)
        readings["width"] = math.degrees(math.acos(ratio))
    return {"trunk": trunk, "head": head}


def _slope(xs: list[float], ys: list[float]) -> float:
    keep = [(x, y) for x, y in zip(xs, ys, strict=True) if math.isfinite(y)]
    if len(keep) < 2:
        return math.nan
    x, y = np.array(keep).T
    return float(np.polyfit(x, y, 1)[0])


def _summary(sweep: dict, estimate: str) -> dict:
    turns = list(sweep["trunk"])
    values = [sweep["trunk"][t][estimate] for t in turns]
    heads = list(sweep["head"])
    echo = [sweep["head"][t][estimate] for t in heads]
    if estimate == "width":  # magnitude only: compare |turn|
        turns_for_error = [abs(t) for t in turns]
        trunk_slope = _slope([abs(t) for t in turns], values)
        echo_slope = _slope([abs(t) for t in heads], echo)
    else:
        turns_for_error = turns
        trunk_slope = _slope(turns, values)
        echo_slope = _slope(heads, echo)
    errors = {
        t: value - truth
        for t, truth, value in zip(turns, turns_for_error, values, strict=True)
        if abs(t) in (15.0, 30.0)
    }
    worst = max((abs(e) for e in errors.values() if math.isfinite(e)), default=math.nan)
    usable = worst <= MAX_ERROR_DEG and abs(echo_slope) <= MAX_ECHO_SLOPE
    return {
        "trunk_slope": trunk_slope,
        "echo_slope": echo_slope,
        "errors": errors,
        "worst": worst,
        "usable": usable,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    import mediapipe

    from collis.posture.landmarks import PoseDetector

    results = {}
    with PoseDetector(static_image_mode=True) as detector:
        for trunk_model in ("suit", "mannequin"):
            results[trunk_model] = _sweep(detector, trunk_model)
    lines = _report(results, mediapipe.__version__)
    print("\n".join(lines))
    if not args.no_append:
        from harness import append_results

        append_results("\n".join(lines))
        print("appended to bench/RESULTS.md")


def _fmt(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:+.1f}"


def _report(results: dict, mediapipe_version: str) -> list[str]:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {now}: trunk yaw on rendered trunks (bench/bench_trunk_yaw.py)",
        "",
        f"Python {platform.python_version()}, mediapipe {mediapipe_version} (BlazePose full, "
        f"static mode), {os.cpu_count()} CPUs. Median of {len(SEEDS)} noise seeds per still; "
        "640×480, face 16 % of the width. Degrees in the head-rotation sign.",
        "",
    ]
    for trunk_model, sweep in results.items():
        header = " | ".join(f"trunk {t:+.0f}°" for t in TRUNK_TURNS)
        head_header = " | ".join(f"head {t:+.0f}°" for t in HEAD_TURNS)
        lines += [
            f"### {trunk_model}",
            "",
            f"| estimate | {header} | {head_header} |",
            "|---|" + "---|" * (len(TRUNK_TURNS) + len(HEAD_TURNS)),
        ]
        for estimate in ESTIMATES:
            cells = [_fmt(sweep["trunk"][t][estimate]) for t in TRUNK_TURNS]
            cells += [_fmt(sweep["head"][t][estimate]) for t in HEAD_TURNS]
            lines.append(f"| {estimate} | " + " | ".join(cells) + " |")
        lines.append("")
        for estimate in ESTIMATES:
            s = _summary(sweep, estimate)
            lines.append(
                f"- {estimate}: slope on the trunk's turn {s['trunk_slope']:.2f} (1 is right), "
                f"echo of the head's turn {s['echo_slope']:.2f} (0 is right), worst error at "
                f"±15/±30° {s['worst']:.1f}°: "
                + (
                    "usable"
                    if s["usable"]
                    else f"not usable (needs ≤ {MAX_ERROR_DEG:.0f}° and an echo ≤ "
                    f"{MAX_ECHO_SLOPE:.1f})"
                )
            )
        lines.append("")
    return lines


if __name__ == "__main__":
    main()
