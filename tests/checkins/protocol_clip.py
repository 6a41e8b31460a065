"""A synthetic home check-in: the rendered 3-D head (tests/posture/head_render.py) following the
guided protocol's timing, with a known resting posture."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "posture"))

import head_render  # noqa: E402
from head_render import Clip, Keyframes  # noqa: E402

RESTING_ROTATION = -15.0  # 15° to the patient's right at rest
RESTING_LATEROCOLLIS = 6.0


def _moves(rest: float, windows: list[tuple[float, float, float]]) -> Keyframes:
    """Hold ``rest``; in each (start, end, target) window go to target and back."""
    keys = [(0.0, rest)]
    for start, end, target in windows:
        keys += [(start, rest), (start + 1.0, target), (end - 1.0, target), (end, rest)]
    return Keyframes(tuple(keys))


def protocol_clip(fps: int = 15) -> Clip:
    return Clip(
        "checkin-protocol",
        seconds=27.0,
        fps=fps,
        rotation=_moves(RESTING_ROTATION, [(5.0, 9.0, 40.0), (9.0, 13.0, -50.0)]),
        laterocollis=_moves(RESTING_LATEROCOLLIS, [(13.0, 17.0, 25.0), (17.0, 21.0, -20.0)]),
        flexion=_moves(0.0, [(21.0, 24.0, 25.0), (24.0, 27.0, -20.0)]),
        noise_seed=7,
    )


def render_protocol_clip(fps: int = 15) -> Path:
    return head_render.render_clip(protocol_clip(fps))
