"""Annotated stills of chosen moments of a video (one per protocol segment of a home check-in)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from os import PathLike
from pathlib import Path

import numpy as np
from PIL import Image

from .annotate import draw_overlay
from .landmarks import LandmarkTracker
from .measurement import measure_frame
from .media import Frame, FrameStream, probe
from .reference_face import load_reference_face
from .trunk import measure_trunk


def annotate_stills(
    path: str | PathLike[str],
    times: Mapping[str, float],
    out_dir: str | PathLike[str],
    *,
    mirrored: bool = False,
) -> dict[str, Path]:
    """Write ``<key>.png`` in ``out_dir`` for each ``key: seconds``: the frame nearest that time,
    with the mesh, head axes and angles drawn as in ``analyze(..., annotate_to=...)``.

    One decoding pass; each chosen frame is measured on its own (static mode), so a still shows
    that frame's own angles. Keys whose time lies past the video's end get its last frame.
    Raises UnreadableInputError as ``analyze`` does.
    """
    wanted = sorted(times.items(), key=lambda item: item[1])
    chosen: dict[str, Frame] = {}
    frames = contextlib.closing(iter(FrameStream(probe(Path(path)))))
    with frames as stream:
        previous, index = _pick(stream, wanted, chosen, mirrored=mirrored)
    for key, _ in wanted[index:]:
        if previous is not None:
            chosen[key] = previous
    out = Path(out_dir)
    written: dict[str, Path] = {}
    reference = load_reference_face()
    with LandmarkTracker(static_image_mode=True) as tracker:
        for key, frame in chosen.items():
            landmarks = tracker.detect(frame.rgb, frame.t)
            measurement, overlay = measure_frame(
                frame.t,
                frame.rgb,
                landmarks,
                reference,
                trunk=measure_trunk(landmarks.pose),
                diagnostics=False,
            )
            target = out / f"{key}.png"
            Image.fromarray(draw_overlay(frame.rgb, overlay, measurement)).save(target)
            written[key] = target
    return written


def _pick(
    stream: Iterator[Frame],
    wanted: list[tuple[str, float]],
    chosen: dict[str, Frame],
    *,
    mirrored: bool,
) -> tuple[Frame | None, int]:
    """Fill ``chosen`` with the frame nearest each wanted time; return the last frame read and
    how many of ``wanted`` were placed."""
    previous: Frame | None = None
    index = 0
    for frame in stream:
        if mirrored:
            frame = Frame(frame.t, np.ascontiguousarray(frame.rgb[:, ::-1]))
        while index < len(wanted) and frame.t >= wanted[index][1]:
            key, t = wanted[index]
            closer_before = previous is not None and t - previous.t < frame.t - t
            chosen[key] = previous if closer_before and previous is not None else frame
            index += 1
        if index == len(wanted):
            break
        previous = frame
    return previous, index
