"""Shared fixtures: synthetic media are made once per session (MediaPipe runs are the cost)."""

from __future__ import annotations

import sys
from pathlib import Path

# Under --import-mode=importlib test folders are not on sys.path; the media helpers live here.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from synthetic_media import astronaut, rotated_astronaut, still_video, tremor_video  # noqa: E402

from collis.posture import PostureResult, analyze

# Every 5°, as the benchmark: a distorted mesh at one angle (−25°) once slipped through 10° steps.
ROLL_ANGLES_DEG = tuple(range(-30, 31, 5))
TREMOR_CASES = ((3.0, 3.0), (5.0, 2.0), (8.0, 2.0))  # (frequency Hz, amplitude °)
TREMOR_SECONDS = 7.0


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("posture-media")


@pytest.fixture(scope="session")
def astronaut_png(media_dir: Path) -> Path:
    path = media_dir / "astronaut.png"
    Image.fromarray(astronaut()).save(path)
    return path


@pytest.fixture(scope="session")
def flipped_astronaut_png(media_dir: Path) -> Path:
    path = media_dir / "astronaut-flipped.png"
    Image.fromarray(np.ascontiguousarray(astronaut()[:, ::-1])).save(path)
    return path


@pytest.fixture(scope="session")
def astronaut_result(astronaut_png: Path) -> PostureResult:
    return analyze(astronaut_png)


@pytest.fixture(scope="session")
def flipped_result(flipped_astronaut_png: Path) -> PostureResult:
    return analyze(flipped_astronaut_png)


@pytest.fixture(scope="session")
def roll_results(media_dir: Path) -> dict[int, PostureResult]:
    results = {}
    for angle in ROLL_ANGLES_DEG:
        path = media_dir / f"rotated{angle:+d}.png"
        Image.fromarray(rotated_astronaut(angle)).save(path)
        results[angle] = analyze(path)
    return results


@pytest.fixture(scope="session")
def tremor_results(media_dir: Path) -> dict[tuple[float, float], PostureResult]:
    results = {}
    for frequency, amplitude in TREMOR_CASES:
        path = media_dir / f"tremor-{frequency:g}hz.mp4"
        tremor_video(path, frequency, amplitude, TREMOR_SECONDS, width=480, height=360)
        results[(frequency, amplitude)] = analyze(path)
    return results


@pytest.fixture(scope="session")
def vfr_rotated_video(media_dir: Path) -> tuple[Path, list[float]]:
    """A still head, stored turned 90° clockwise with a display matrix turning it back, at
    alternating 33/50 ms steps (variable frame rate)."""
    times = []
    t = 0.0
    for i in range(40):
        times.append(round(t, 3))
        t += 0.033 if i % 2 else 0.050
    path = still_video(
        media_dir / "vfr-rotated.mp4",
        times,
        display_rotation=90,
        transform=lambda frame: np.ascontiguousarray(np.rot90(frame, -1)),
    )
    return path, times


@pytest.fixture(scope="session")
def moving_clips() -> dict[str, object]:
    """The rendered moving-head clips (tests/posture/head_render.py), cached under var/."""
    import head_render

    return dict(head_render.standard_clips())


@pytest.fixture(scope="session")
def moving_results(moving_clips: dict[str, object]) -> dict[str, PostureResult]:
    import head_render

    return {
        name: analyze(head_render.render_clip(clip))  # type: ignore[arg-type]
        for name, clip in moving_clips.items()
    }


@pytest.fixture(scope="session")
def lean_results() -> dict[str, PostureResult]:
    import head_render

    return {
        name: analyze(head_render.render_clip(c)) for name, c in head_render.lean_clips().items()
    }
