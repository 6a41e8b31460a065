"""``collis-posture analyze PATH [--json] [--mirrored] [--annotate OUT]``.

Exit status (DESIGN.md): 0 done; 2 unreadable or unsupported input; 3 no face found. Errors are
one line on stderr. MediaPipe's native start-up logging is silenced so that stays true.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import TextIO

from .errors import PostureError
from .progress import Progress
from .result import PostureResult

PROG = "collis-posture"
_BAR_WIDTH = 30


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    with _quiet_native_stderr() as stderr:
        show_bar = stderr.isatty()
        try:
            from .analysis import analyze

            result = analyze(
                args.path,
                mirrored=args.mirrored,
                progress=(lambda p: _draw_bar(p, stderr)) if show_bar else None,
                annotate_to=args.annotate,
            )
        except PostureError as exc:
            if show_bar:
                stderr.write("\r\033[K")
            stderr.write(f"{PROG}: error: {exc.message}\n")
            stderr.flush()
            return exc.exit_status
        if show_bar:
            stderr.write("\r\033[K")
            stderr.flush()
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_summary(result))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Measure head posture and tremor.")
    commands = parser.add_subparsers(dest="command", required=True)
    analyse = commands.add_parser("analyze", help="analyse a photo or video")
    analyse.add_argument("path", help="photo (JPEG, PNG, HEIC, …) or video (MP4, MOV, …)")
    analyse.add_argument("--json", action="store_true", help="print the JSON result")
    analyse.add_argument(
        "--mirrored", action="store_true", help="the input is mirrored (selfie camera)"
    )
    analyse.add_argument("--annotate", metavar="OUT", help="write an annotated image or .mp4")
    return parser


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[TextIO]:
    """Send fd 2 to /dev/null while MediaPipe runs; yield a stream to the real stderr.

    TensorFlow Lite and absl log to the C-level stderr regardless of Python settings.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    real_stderr = os.fdopen(os.dup(saved), "w", encoding="utf-8", errors="replace")
    with open(os.devnull, "w") as devnull, warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"google\.protobuf")
        os.dup2(devnull.fileno(), 2)
        try:
            yield real_stderr
        finally:
            real_stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            real_stderr.close()


def _draw_bar(progress: Progress, stream: TextIO) -> None:
    fraction = progress.fraction
    if fraction is None:
        stream.write(f"\r{progress.frames_done} frames")
    else:
        filled = int(round(fraction * _BAR_WIDTH))
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        stream.write(f"\r[{bar}] {fraction:4.0%} {progress.frames_done} frames")
    stream.flush()


def _side(value: float, positive: str, negative: str) -> str:
    if round(value, 1) == 0:
        return "neutral"
    return positive if value > 0 else negative


def format_summary(result: PostureResult) -> str:
    """Return the human-readable summary printed without --json."""
    a = result.angles
    s = result.shifts
    grades = {item.item: item for item in result.severity}
    lines = [
        f"{result.source}: {result.kind}, {result.frames} frame(s), "
        f"face in {result.frames_with_face}" + (" (mirrored input)" if result.mirrored else ""),
        "Head angles (median, camera; TWSTRS grades, suggestions for the examiner, are from the "
        "maximal excursion):",
    ]
    rows = (
        ("rotation", a.rotation_deg, "chin toward left shoulder", "chin toward right shoulder"),
        ("laterocollis", a.laterocollis_deg, "left ear down", "right ear down"),
        ("flexion", a.flexion_deg, "chin down (antero)", "head back (retro)"),
    )
    for name, value, positive, negative in rows:
        key = "anterocollis_retrocollis" if name == "flexion" else name
        item = grades.get(key)
        grade = ""
        if item is not None:
            flags = [
                f
                for f, on in (("approx.", item.approximate), ("near edge", item.near_boundary))
                if on
            ]
            grade = f"  TWSTRS {item.grade}/{item.maximum}" + (
                f" ({', '.join(flags)})" if flags else ""
            )
        lines.append(f"  {name:<13}{value:+7.1f}°  {_side(value, positive, negative):<28}{grade}")
    if result.head_on_trunk is not None:
        h = result.head_on_trunk
        lines.append(
            f"  head on trunk: rotation {h.rotation_deg:+.1f}°, laterocollis "
            f"{h.laterocollis_deg:+.1f}°, flexion {h.flexion_deg:+.1f}°"
        )
        if result.trunk_yaw_deg is not None:
            lines.append(
                f"  trunk turned {result.trunk_yaw_deg:+.1f}° (pose estimate; "
                + (
                    "subtracted from rotation)"
                    if result.trunk_yaw_subtracted
                    else "not subtracted)"
                )
            )
    e = result.excursion
    if e is not None and result.kind == "video":
        shown = ", ".join(
            f"{name} {value:+.1f}°"
            for name, value in (
                ("rotation", e.rotation_deg),
                ("laterocollis", e.laterocollis_deg),
                ("flexion", e.flexion_deg),
            )
            if value is not None
        )
        lines.append(f"  maximal excursion held ≥ 1 s ({e.reference}): {shown}")
    if result.flexion_reference == "neutral_recording":
        lines.append(f"  flexion against the patient's neutral ({result.neutral_label})")
    if s.shoulder_elevation_deg is not None:
        side = _side(s.shoulder_elevation_deg, "left higher", "right higher")
        lines.append(f"  shoulder line{s.shoulder_elevation_deg:+7.1f}°  {side}")
    shift = {True: "present", False: "absent", None: "not assessed"}
    lines.append(
        f"  lateral shift: {shift[s.lateral_shift]}; sagittal shift: {shift[s.sagittal_shift]}"
    )
    t = result.tremor
    if t.frequency_hz is not None and t.amplitude_deg is not None:
        lines.append(f"  tremor: {t.frequency_hz:.2f} Hz, ±{t.amplitude_deg:.1f}° ({t.axis})")
    elif result.kind == "video" and t.detected is False:
        lines.append("  tremor: none found (no spectral peak above the background)")
    elif result.kind == "video":
        lines.append(f"  tremor: not measured ({t.note})")
    if result.fraction_near_neutral is not None and result.kind == "video":
        lines.append(f"  time within 10° of neutral: {result.fraction_near_neutral:.0%}")
    if result.warnings:
        lines.append("Warnings:")
        lines.extend(f"  - {w.message}" for w in result.warnings)
    return "\n".join(lines) + "\n"
