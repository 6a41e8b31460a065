"""The collis-posture command, run as a subprocess like a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from synthetic_media import png_header_only, still_video

SRC = Path(__file__).resolve().parents[2] / "src"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "collis.posture", "analyze", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,  # MediaPipe's import alone takes minutes on a loaded CI box
        check=False,
    )


def test_json_output(astronaut_png: Path) -> None:
    completed = _run(astronaut_png, "--json")
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["source"] == str(astronaut_png)
    assert data["frames_with_face"] == 1
    assert completed.stderr == ""  # MediaPipe's native logging is kept off the terminal
    # The astronaut's shoulders are in the picture: the trunk's yaw is reported, not subtracted.
    assert data["head_on_trunk"]["trunk_yaw_subtracted"] is False
    assert isinstance(data["head_on_trunk"]["trunk_yaw_deg"], float)


def test_human_summary(astronaut_png: Path) -> None:
    completed = _run(astronaut_png)
    assert completed.returncode == 0
    assert "laterocollis" in completed.stdout
    assert "left ear down" in completed.stdout
    assert "TWSTRS" in completed.stdout
    assert "trunk turned" in completed.stdout and "not subtracted" in completed.stdout


def test_mirrored_flag_swaps_sides(astronaut_png: Path) -> None:
    plain = json.loads(_run(astronaut_png, "--json").stdout)
    mirrored = json.loads(_run(astronaut_png, "--json", "--mirrored").stdout)
    assert mirrored["angles"]["laterocollis_deg"] * plain["angles"]["laterocollis_deg"] < 0


def test_annotate_writes_an_image(tmp_path: Path, astronaut_png: Path) -> None:
    out = tmp_path / "annotated.jpg"
    completed = _run(astronaut_png, "--annotate", out)
    assert completed.returncode == 0, completed.stderr
    with Image.open(out) as image:
        assert image.size == (512, 512)


@pytest.mark.parametrize(
    "make_bad",
    [
        lambda d: _write(d / "photo.jpg", b"plain text, not a photo\n"),
        lambda d: _save(d / "dot.png", np.zeros((1, 1, 3), np.uint8)),
        lambda d: png_header_only(d / "bomb.png", 100_000, 100_000),
        lambda d: _truncate(still_video(d / "clip.mp4", [i / 30 for i in range(20)])),
    ],
    ids=["text-named-jpg", "one-pixel", "decompression-bomb", "truncated-mp4"],
)
def test_unreadable_inputs_exit_2_with_one_line(tmp_path: Path, make_bad) -> None:  # type: ignore[no-untyped-def]
    path = make_bad(tmp_path)
    completed = _run(path, "--json")
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("collis-posture: error: ")


def test_blank_image_exits_3(tmp_path: Path) -> None:
    path = _save(tmp_path / "blank.png", np.full((240, 320, 3), 200, np.uint8))
    completed = _run(path)
    assert completed.returncode == 3
    assert completed.stderr.strip() == "collis-posture: error: no face found in blank.png (1 frame)"


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _save(path: Path, rgb: np.ndarray) -> Path:
    Image.fromarray(rgb).save(path)
    return path


def _truncate(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path
