"""Series clean-up and summary numbers. No MediaPipe."""

from __future__ import annotations

import numpy as np
import pytest

from collis.posture.series import (
    AngleSeries,
    clean_series,
    dropped_frame_count,
    fraction_near_neutral,
    hampel_outliers,
    representative_frame,
    robust_centre,
)


def _series(t: np.ndarray, rotation: np.ndarray) -> AngleSeries:
    zeros = np.zeros_like(rotation)
    zeros[np.isnan(rotation)] = np.nan
    return AngleSeries(t, rotation, zeros.copy(), zeros.copy())


def test_hampel_flags_isolated_spikes_only() -> None:
    t = np.arange(90) / 30
    values = 5 * np.sin(2 * np.pi * 1.0 * t)
    values[[20, 61]] += 40
    outliers = hampel_outliers(values, window=13)
    assert set(np.flatnonzero(outliers)) == {20, 61}


def test_clean_series_blanks_spikes_and_keeps_missing_frames_missing() -> None:
    t = np.arange(60) / 30
    rotation = np.full(60, 10.0) + np.random.default_rng(1).normal(0, 0.2, 60)
    rotation[30] = 80.0
    rotation[[5, 6]] = np.nan
    cleaned = clean_series(_series(t, rotation))
    assert np.isnan(cleaned.rotation_deg[30])
    assert np.isnan(cleaned.rotation_deg[[5, 6]]).all()
    assert robust_centre(cleaned.rotation_deg) == pytest.approx(10.0, abs=0.2)


def test_robust_centre_ignores_nan_and_reports_none_when_empty() -> None:
    assert robust_centre(np.array([np.nan, 1.0, 3.0, 100.0])) == 3.0
    assert robust_centre(np.array([np.nan])) is None


def test_dropped_frames_counted_from_time_gaps() -> None:
    t = np.arange(30) / 30
    t = np.delete(t, [10, 11, 20])  # three frames missing, in two gaps
    assert dropped_frame_count(t) == 3
    assert dropped_frame_count(np.arange(30) / 30) == 0


def test_fraction_near_neutral_weights_frames_by_duration() -> None:
    t = np.array([0.0, 0.1, 0.2, 0.5, 0.6])  # the third frame lasts 0.3 s
    rotation = np.array([0.0, 5.0, 20.0, 0.0, np.nan])
    fraction = fraction_near_neutral(_series(t, rotation))
    # near: 0.1 + 0.1 + 0.1 s; measured: 0.6 s (the NaN frame does not count)
    assert fraction == pytest.approx(0.3 / 0.6)


def test_fraction_near_neutral_of_a_photo() -> None:
    assert fraction_near_neutral(_series(np.zeros(1), np.array([12.0]))) == 0.0
    assert fraction_near_neutral(_series(np.zeros(1), np.array([np.nan]))) is None


@pytest.mark.parametrize(
    ("centre", "expected"),
    [((0.0, 0.0, 0.0), 0), ((10.0, 0.0, 0.0), 2), ((9.0, 1.0, 0.0), 2), ((4.0, 0.0, 0.0), 1)],
)
def test_representative_frame_is_closest_to_the_centre(centre, expected) -> None:
    t = np.array([0.0, 0.1, 0.2, 0.3])
    series = AngleSeries(
        t,
        np.array([0.0, 5.0, 10.0, np.nan]),
        np.array([0.0, 0.0, 0.0, np.nan]),
        np.array([0.0, 0.0, 0.0, np.nan]),
    )
    assert representative_frame(series, centre) == expected


def test_representative_frame_never_picks_a_frame_without_face() -> None:
    t = np.array([0.0, 0.1])
    series = AngleSeries(
        t, np.array([np.nan, 30.0]), np.array([np.nan, 0.0]), np.array([np.nan, 0.0])
    )
    assert representative_frame(series, (0.0, 0.0, 0.0)) == 1
    empty = AngleSeries(t, np.full(2, np.nan), np.full(2, np.nan), np.full(2, np.nan))
    with pytest.raises(ValueError):
        representative_frame(empty, (0.0, 0.0, 0.0))


def test_frames_right_after_the_face_reenters_are_dropped() -> None:
    from collis.posture.series import reentry_mask

    t = np.arange(0, 3, 1 / 30)
    valid = np.ones(len(t), dtype=bool)
    valid[30:45] = False  # 0.5 s without a face
    valid[70:71] = False  # one missed frame: not a re-entry
    drop = reentry_mask(t, valid)
    assert drop[45:54].all() and not drop[54]  # 0.3 s after re-entry at 1.5 s
    assert not drop[:30].any() and not drop[71:].any()  # the start of the video is no re-entry


def test_sustained_excursion_is_the_maximum_held_for_a_second() -> None:
    from collis.posture.series import sustained_excursion

    t = np.arange(0, 10, 1 / 30)
    angle = np.full(len(t), 5.0)
    angle[(t > 3) & (t < 5)] = 40.0  # held 2 s
    angle[(t > 7) & (t < 7.5)] = 70.0  # a 0.5-s swing further: not sustained
    angle[150] = 90.0  # a one-frame glitch
    assert sustained_excursion(t, angle) == pytest.approx(40.0, abs=2.5)
    # Sign: the larger side wins.
    assert sustained_excursion(t, -angle) == pytest.approx(-40.0, abs=2.5)
    # A 3-Hz ±4° tremor around 20° does not inflate it.
    shaky = 20.0 + 4.0 * np.sin(2 * np.pi * 3.0 * t)
    assert sustained_excursion(t, shaky) == pytest.approx(20.0, abs=2.0)
    assert sustained_excursion(np.array([0.0]), np.array([12.0])) == 12.0
