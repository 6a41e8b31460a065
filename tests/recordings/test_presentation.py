"""What result pages show, computed from stored results (pure: no database)."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.recordings import presentation as p


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (24.4, "24° chin toward the left shoulder"),
        (-24.5, "25° chin toward the right shoulder"),  # half-up, as the TWSTRS bands
        (0.4, "0° (facing forward)"),
        (-0.49, "0° (facing forward)"),
    ],
)
def test_rotation_text_follows_design_signs(value, text):
    assert p.describe_rotation(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10.0, "10° left ear toward the left shoulder"),
        (-3.2, "3° right ear toward the right shoulder"),
    ],
)
def test_laterocollis_text_follows_design_signs(value, text):
    assert p.describe_laterocollis(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (8.0, "8° chin down (anterocollis direction)"),
        (-12.0, "12° head back (retrocollis direction)"),
        (0.2, "0° (level)"),
    ],
)
def test_flexion_text_follows_design_signs(value, text):
    assert p.describe_flexion(value) == text


def test_describe_and_short_angles():
    angles = {"rotation_deg": 24.0, "laterocollis_deg": -3.0, "flexion_deg": 2.0}
    assert [name for name, _ in p.describe_angles(angles)] == [
        "Rotation",
        "Laterocollis (tilt)",
        "Flexion",
    ]
    assert p.short_angles(angles) == "rotation 24° L, tilt 3° R, flexion 2° down"
    assert p.describe_angles(None) == () and p.short_angles({}) == ""


def test_suggestion_rows_use_twstrs_labels_and_keep_caveats():
    rows = p.suggestion_rows(
        [
            {"item": "rotation", "grade": 2, "maximum": 4, "measured": 30.0, "approximate": False,
             "near_boundary": False, "basis": "TWSTRS bands"},
            {"item": "lateral_shift", "grade": 1, "maximum": 1, "measured": True,
             "approximate": True, "near_boundary": False, "basis": "heuristic"},
        ]
    )  # fmt: skip
    assert rows[0].label == "Rotation (maximal excursion)" and rows[0].measured == "+30.0°"
    assert rows[1].label == "Lateral shift" and rows[1].measured == "present"
    assert rows[1].approximate


@given(st.lists(st.floats(-50, 50), max_size=2000), st.integers(2, 400))
def test_thinning_keeps_at_most_the_limit_and_both_ends(values, most):
    points = [(float(i), v) for i, v in enumerate(values)]
    kept = p.thin(points, most)
    assert len(kept) <= max(most, 0) or len(points) <= most
    assert len(kept) <= len(points)
    if points:
        assert kept[0] == points[0] and kept[-1] == points[-1]


def test_photo_results_have_explained_empty_charts():
    result = {"kind": "image", "series": {"t": [0.0], "rotation_deg": [5.0]}}
    assert p.angles_over_time_chart(result).is_empty
    spectrum = p.tremor_spectrum_chart(result)
    assert spectrum.is_empty and "video" in spectrum.description


def _video_result(seconds: float, frequency: float = 5.0) -> dict:
    fps = 30
    t = [i / fps for i in range(int(seconds * fps))]
    roll = [3.0 * math.sin(2 * math.pi * frequency * x) for x in t]
    return {
        "kind": "video",
        "tremor": {"frequency_hz": frequency, "amplitude_deg": 3.0, "axis": "roll"},
        "series": {"t": t, "rotation_deg": [10.0] * len(t), "laterocollis_deg": roll,
                   "flexion_deg": [None] * 3 + [0.0] * (len(t) - 3)},
    }  # fmt: skip


def test_angles_over_time_chart_plots_seconds_and_thins_long_videos():
    chart = p.angles_over_time_chart(_video_result(20.0))
    assert not chart.is_empty and chart.table_headers[0] == "Time (s)"
    assert len(chart.table_rows) <= p.MAX_CHART_POINTS + 1
    assert "<circle" not in chart.svg and ">20 s</text>" not in chart.svg  # 0–19.97 s


def test_tremor_spectrum_peaks_at_the_oscillation_with_a_marker():
    chart = p.tremor_spectrum_chart(_video_result(8.0, frequency=5.0))
    assert not chart.is_empty and chart.table_headers[0] == "Frequency (Hz)"
    peak = max(chart.table_rows, key=lambda row: float(row[2]))
    assert float(peak[2]) == pytest.approx(100.0)
    assert float(peak[0].split()[0]) == pytest.approx(5.0, abs=0.2)
    assert "Tremor peak" in chart.svg


def test_tremor_spectrum_of_a_short_video_says_why_there_is_none():
    chart = p.tremor_spectrum_chart(_video_result(2.0))
    assert chart.is_empty and "4 s" in chart.description


def test_angles_across_visits_keep_one_value_per_date_the_last_given():
    def angles(rotation, tilt, flexion):
        return {"rotation_deg": rotation, "laterocollis_deg": tilt, "flexion_deg": flexion}

    series = p.angles_across_visits(
        [
            (date(2026, 1, 5), angles(30.0, 5.0, None)),
            (date(2026, 1, 5), angles(28.04, 4.0, 1.0)),
            (date(2026, 3, 1), angles(12.0, 2.0, 0.0)),
        ]
    )
    rotation, tilt, flexion = series
    assert rotation.points == ((date(2026, 1, 5), 28.0), (date(2026, 3, 1), 12.0))
    assert tilt.name == "Laterocollis (tilt)" and len(flexion.points) == 2


def test_angles_over_time_chart_adds_the_head_on_trunk_tilt_when_the_trunk_was_seen():
    result = _video_result(4.0)
    assert "Laterocollis on the trunk" not in p.angles_over_time_chart(result).table_headers
    n = len(result["series"]["t"])
    result["head_on_trunk"] = {
        "laterocollis_deg": 1.0,
        "series": {"rotation_deg": [10.0] * n, "laterocollis_deg": [1.0] * n,
                   "flexion_deg": [0.0] * n},
    }  # fmt: skip
    chart = p.angles_over_time_chart(result)
    assert "Laterocollis on the trunk" in chart.table_headers
