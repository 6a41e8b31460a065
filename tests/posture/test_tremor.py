"""Tremor spectra on synthetic angle series (no video, no MediaPipe)."""

from __future__ import annotations

import numpy as np
import pytest

from collis.posture.series import AngleSeries
from collis.posture.tremor import estimate_tremor


def _series(t: np.ndarray, yaw: np.ndarray, roll: np.ndarray, pitch: np.ndarray) -> AngleSeries:
    return AngleSeries(t, yaw, roll, pitch)


@pytest.mark.parametrize("frequency", [1.5, 2.0, 3.0, 4.5, 6.0, 8.0, 10.0])
def test_recovers_frequency_amplitude_and_axis(frequency: float) -> None:
    rng = np.random.default_rng(int(frequency * 10))
    t = np.arange(0, 8, 1 / 30)
    pitch = 1.5 * np.sin(2 * np.pi * frequency * t + 0.3) + rng.normal(0, 0.2, len(t)) + 5
    yaw = rng.normal(0, 0.2, len(t)) - 10 + 0.5 * t  # slow drift is not tremor
    roll = rng.normal(0, 0.2, len(t))
    estimate = estimate_tremor(_series(t, yaw, roll, pitch))
    assert estimate.axis == "pitch"
    assert estimate.frequency_hz == pytest.approx(frequency, abs=0.15)
    assert estimate.amplitude_deg == pytest.approx(1.5, rel=0.15)


def test_uses_real_timestamps_of_variable_frame_rate() -> None:
    steps = np.tile([0.025, 0.045], 200)  # average 28.6 fps, never uniform
    t = np.concatenate(([0.0], np.cumsum(steps)))[:300]
    roll = 2.0 * np.sin(2 * np.pi * 4.0 * t)
    estimate = estimate_tremor(_series(t, np.zeros_like(t), roll, np.zeros_like(t)))
    assert estimate.axis == "roll"
    assert estimate.frequency_hz == pytest.approx(4.0, abs=0.15)
    assert estimate.amplitude_deg == pytest.approx(2.0, rel=0.15)


def test_short_clip_gives_no_estimate_and_says_why() -> None:
    t = np.arange(0, 3, 1 / 30)
    roll = np.sin(2 * np.pi * 5 * t)
    estimate = estimate_tremor(_series(t, roll, roll, roll))
    assert estimate.frequency_hz is None and estimate.amplitude_deg is None
    assert estimate.note is not None and "4 s" in estimate.note


def test_still_head_has_no_tremor_peak() -> None:
    t = np.arange(0, 8, 1 / 30)
    rng = np.random.default_rng(7)
    noise = [rng.normal(0, 0.3, len(t)) for _ in range(3)]
    estimate = estimate_tremor(_series(t, *noise))
    assert estimate.frequency_hz is None
    assert estimate.detected is False
    assert estimate.note is not None and estimate.note.startswith("no tremor")
    assert set(estimate.band_power_deg2) == {"yaw", "roll", "pitch"}


def test_gaps_without_face_are_bridged_and_reported() -> None:
    t = np.arange(0, 8, 1 / 30)
    roll = 2.0 * np.sin(2 * np.pi * 5 * t)
    missing = (t > 3.0) & (t < 3.5)
    roll[missing] = np.nan
    yaw = np.where(missing, np.nan, 0.0)
    estimate = estimate_tremor(_series(t, yaw, roll, yaw.copy()))
    assert estimate.frequency_hz == pytest.approx(5.0, abs=0.15)
    assert estimate.note is not None and "gaps" in estimate.note


def test_spectra_peak_at_the_oscillation_and_match_the_estimate() -> None:
    """The spectra behind the estimate peak at the tremor and carry its band power."""
    from collis.posture.tremor import angle_spectra

    t = np.arange(0, 6, 1 / 30)
    roll = 2.0 * np.sin(2 * np.pi * 5.0 * t)
    series = _series(t, np.zeros_like(t), roll, np.zeros_like(t))
    spectra = angle_spectra(series)
    assert spectra.unmeasured is None and spectra.fs == pytest.approx(30.0)
    assert spectra.freqs[np.argmax(spectra.psd["laterocollis_deg"])] == pytest.approx(5.0, abs=0.1)
    estimate = estimate_tremor(series)
    assert estimate.band_power_deg2["roll"] == spectra.band_power("laterocollis_deg")


def test_spectra_of_a_photo_say_why_there_are_none() -> None:
    from collis.posture.tremor import angle_spectra

    one = np.array([0.0])
    spectra = angle_spectra(_series(one, one, one, one))
    assert spectra.unmeasured and "4 s" in spectra.unmeasured
    assert spectra.psd == {} and len(spectra.freqs) == 0


def _min_jerk_turns(t: np.ndarray, amplitude: float, move: float, hold: float) -> np.ndarray:
    """0 → +A → 0 → −A → 0 … with minimum-jerk moves (natural voluntary turns)."""
    out = np.zeros_like(t)
    start, value = 0.5, 0.0
    targets = [amplitude, 0.0, -amplitude, 0.0] * 4
    for target in targets:
        tau = np.clip((t - start) / move, 0, 1)
        step = tau**3 * (10 - 15 * tau + 6 * tau**2)
        out = np.where(t >= start, value + (target - value) * step, out)
        start += move + hold
        value = target
        out = np.where(t >= start, value, out)
    return out


@pytest.mark.parametrize(
    ("amplitude", "move", "hold"), [(60.0, 1.3, 1.0), (30.0, 0.8, 0.5), (15.0, 1.0, 0.0)]
)
def test_voluntary_turns_are_not_tremor(amplitude: float, move: float, hold: float) -> None:
    """Issue #14: voluntary turns gave a "tremor" at the 1-Hz band edge; now none is found."""
    rng = np.random.default_rng(int(amplitude))
    t = np.arange(0, 12, 1 / 30)
    yaw = _min_jerk_turns(t, amplitude, move, hold) + rng.normal(0, 0.4, len(t))
    roll = 0.1 * yaw + rng.normal(0, 0.2, len(t))
    pitch = rng.normal(0, 0.3, len(t))
    estimate = estimate_tremor(_series(t, yaw, roll, pitch))
    assert estimate.detected is False, estimate
    assert estimate.frequency_hz is None and estimate.amplitude_deg is None


def test_tremor_over_voluntary_turns_is_still_found() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(0, 12, 1 / 30)
    yaw = _min_jerk_turns(t, 40.0, 1.3, 1.0) + 2.0 * np.sin(2 * np.pi * 4.5 * t)
    yaw += rng.normal(0, 0.3, len(t))
    estimate = estimate_tremor(_series(t, yaw, rng.normal(0, 0.2, len(t)), np.zeros_like(t)))
    assert estimate.detected is True and estimate.axis == "yaw"
    assert estimate.frequency_hz == pytest.approx(4.5, abs=0.25)
    assert estimate.amplitude_deg == pytest.approx(2.0, rel=0.2)


def test_a_maximum_at_the_band_edge_is_not_a_peak() -> None:
    from collis.posture.tremor import spectral_peak

    freqs = np.linspace(0, 15, 601)
    falling = 1.0 / np.maximum(freqs, 0.05) ** 2  # 1/f² background, largest at the low edge
    assert spectral_peak(freqs, falling, 1.0, 12.0) is None or (
        spectral_peak(freqs, falling, 1.0, 12.0)[1] < 2.0  # type: ignore[index]
    )
    with_line = falling + 50 * np.exp(-(((freqs - 5.0) / 0.1) ** 2))
    peak = spectral_peak(freqs, with_line, 1.0, 12.0)
    assert peak is not None and peak[0] == pytest.approx(5.0, abs=0.05) and peak[1] > 100
