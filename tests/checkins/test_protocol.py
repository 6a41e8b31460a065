"""Segmenting an engine result by the protocol's timing (pure core, no video)."""

from __future__ import annotations

import math

from collis.checkins.protocol import (
    FEW_FRAMES,
    MISSING,
    SEGMENTS,
    analyse_segments,
    still_times,
)


def _result(seconds: float = 27.0, fps: float = 10.0, lose=()):
    n = int(seconds * fps)
    t = [i / fps for i in range(n)]
    rot, lat, flex = [], [], []
    for x in t:
        r, la, f = -12.0, 4.0, 2.0
        if 6 <= x < 8.5:
            r = 45.0
        if 10 <= x < 12.5:
            r = -55.0
        if 14 <= x < 16.5:
            la = 30.0
        if 18 <= x < 20.5:
            la = -22.0
        if 22 <= x < 23.5:
            f = 28.0
        if 25 <= x < 26.5:
            f = -18.0
        rot.append(r)
        lat.append(la)
        flex.append(f)
    for a, b in lose:
        for i, x in enumerate(t):
            if a <= x < b:
                rot[i] = lat[i] = flex[i] = None
    return {"fps": fps, "series": {"t": t, "rotation_deg": rot,
            "laterocollis_deg": lat, "flexion_deg": flex}}  # fmt: skip


def test_resting_posture_and_ranges_come_from_their_segments():
    readings = analyse_segments(_result())
    assert set(readings) == {s.key for s in SEGMENTS}
    rest = readings["neutral"]
    assert (rest["rotation_deg"], rest["laterocollis_deg"], rest["flexion_deg"]) == (-12, 4, 2)
    assert rest["tremor"]["detected"] is False
    ranges = {k: readings[k]["range_deg"] for k in readings if k != "neutral"}
    assert ranges == {"turn_left": 45, "turn_right": 55, "tilt_left": 30, "tilt_right": 22,
                      "chin_down": 28, "chin_up": 18}  # fmt: skip
    assert all(r["flags"] == [] for r in readings.values())


def test_lost_face_and_a_short_video_are_flagged_per_segment():
    readings = analyse_segments(_result(seconds=20.0, lose=[(9.0, 12.0)]))
    assert FEW_FRAMES in readings["turn_right"]["flags"]
    assert readings["chin_down"]["flags"] == [MISSING]
    assert readings["chin_down"]["range_deg"] is None
    assert readings["neutral"]["flags"] == []
    assert not math.isnan(readings["turn_left"]["range_deg"])


def test_each_measured_segment_names_the_moment_its_still_shows():
    readings = analyse_segments(_result(seconds=20.0))
    times = still_times(readings)
    assert set(times) == {"neutral", "turn_left", "turn_right", "tilt_left", "tilt_right"}
    assert 0 <= times["neutral"] < 5  # a resting frame
    assert 6 <= times["turn_left"] < 8.5  # the frame at the extreme of the turn
    assert 10 <= times["turn_right"] < 12.5
    assert 14 <= times["tilt_left"] < 16.5 and 18 <= times["tilt_right"] < 20.5
