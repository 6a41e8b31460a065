"""Head tremor from the angle series: dominant frequency, amplitude and axis.

Method of posture-research.md §4.4: resample onto a uniform grid, Welch PSD with Hann windows of
≥ 4 s (≤ 0.25 Hz resolution) and 50 % overlap, linear detrend, peak search over 1–12 Hz (CD head
tremor peaks as low as ~2 Hz in video, CMOR [S14]), zero-phase band-pass for the amplitude.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import Akima1DInterpolator
from scipy.signal import butter, sosfiltfilt, welch

from .series import AXES, AngleSeries

FloatArray = NDArray[np.float64]

# Peak-search band (posture-research.md §0 item 5 and §4.4: start near 1 Hz, not 2 Hz).
BAND_LOW_HZ = 1.0
BAND_HIGH_HZ = 12.0
# Welch segments of ≥ 4 s give ≤ 0.25 Hz resolution (posture-research.md §4.4).
MIN_SEGMENT_S = 4.0
# Zero-padding factor: finer frequency grid for locating the peak inside a 0.25-Hz bin.
ZERO_PAD = 8
# Amplitude is measured in peak ± 1 Hz (posture-research.md §4.4: band RMS over peak ± 0.5–1 Hz).
AMPLITUDE_HALF_BAND_HZ = 1.0
# Gaps of ≤ 0.2 s are interpolated (posture-research.md §4.2); longer ones are reported.
MAX_INTERPOLATED_GAP_S = 0.2
# A peak counts as tremor when its PSD is ≥ 10× the median PSD of the band. Own heuristic:
# jitter of a still head is broadband (posture-research.md §2.4), a tremor is a narrow line.
MIN_PEAK_TO_MEDIAN = 10.0
AXIS_NAMES = {"rotation_deg": "yaw", "laterocollis_deg": "roll", "flexion_deg": "pitch"}


@dataclass(frozen=True)
class TremorEstimate:
    """Tremor of the axis with most 1–12 Hz power; numbers are None when not measurable.

    ``amplitude_deg`` is half the peak-to-peak excursion of the band-passed angle (√2·RMS,
    exact for a sinusoid). ``band_power_deg2`` holds the 1–12 Hz power of every axis.
    """

    frequency_hz: float | None
    amplitude_deg: float | None
    axis: str | None
    band_power_deg2: dict[str, float]
    peak_to_median: float | None
    note: str | None


@dataclass(frozen=True, eq=False)
class AngleSpectra:
    """Welch power spectra (°²/Hz) of each measurable angle, on one frequency grid.

    ``uniform`` holds each angle resampled on the uniform grid the spectra were computed from;
    ``band_high_hz`` is the top of the peak-search band at this frame rate. When the series
    does not allow a spectrum, ``unmeasured`` says why and the dictionaries are empty.
    """

    fs: float | None
    freqs: FloatArray
    psd: dict[str, FloatArray]
    uniform: dict[str, FloatArray]
    band_high_hz: float | None
    note: str | None
    unmeasured: str | None = None

    def band_power(self, name: str) -> float:
        """Return the power of angle ``name`` over the peak-search band (°²)."""
        in_band = (self.freqs >= BAND_LOW_HZ) & (self.freqs <= (self.band_high_hz or 0.0))
        # Zero-padding oversamples the PSD; power is the integral over frequency.
        return float(np.trapezoid(self.psd[name][in_band], self.freqs[in_band]))


def angle_spectra(series: AngleSeries) -> AngleSpectra:
    """Return the Welch spectra of a (cleaned) angle series (posture-research.md §4.4)."""
    valid = series.valid
    t = series.t[valid]
    if len(t) < 8:
        return _no_spectra(f"tremor needs at least {MIN_SEGMENT_S:g} s of video with a face")
    steps = np.diff(t)
    # Mean of the ordinary steps, not the median: millisecond timestamps of 30 fps alternate
    # 33/34 ms, and a grid at the median rate would fall between frames, where interpolation
    # flattens the peaks. Gaps (dropped frames, no face) are left out of the mean.
    ordinary = steps[steps <= 1.5 * np.median(steps)]
    step = float(np.mean(ordinary)) if len(ordinary) else float(np.median(steps))
    span = float(t[-1] - t[0]) + step  # each frame stands for one step of time
    if step <= 0 or span < MIN_SEGMENT_S - 1e-6:
        return _no_spectra(
            f"tremor needs at least {MIN_SEGMENT_S:g} s of video with a face; got {span:.1f} s"
        )
    fs = 1.0 / step
    if fs / 2 <= BAND_LOW_HZ * 2:
        return _no_spectra(f"frame rate {fs:.1f} fps is too low for tremor analysis")
    grid = np.arange(t[0], t[-1] + step / 2, step)
    note = None
    if np.max(np.diff(t)) > MAX_INTERPOLATED_GAP_S:
        note = "tremor spans gaps longer than 0.2 s without a face; amplitude may be low"
    nperseg = min(len(grid), int(round(MIN_SEGMENT_S * fs)))
    freqs: FloatArray = np.zeros(0)
    psds: dict[str, FloatArray] = {}
    uniforms: dict[str, FloatArray] = {}
    for name in AXES:
        values = series.axis(name)[valid]
        keep = ~np.isnan(values)
        if keep.sum() < 4:
            continue
        # Akima: follows a 5–8 Hz sine sampled at 30 fps far better than straight lines, and does
        # not overshoot across gaps the way a cubic spline can.
        uniform = Akima1DInterpolator(t[keep], values[keep], extrapolate=True)(grid)
        freqs, psd = welch(
            uniform,
            fs=fs,
            window="hann",
            nperseg=nperseg,
            noverlap=nperseg // 2,
            nfft=nperseg * ZERO_PAD,
            detrend="linear",
        )
        psds[name] = psd
        uniforms[name] = uniform
    if not psds:
        return _no_spectra("too few measured frames for tremor analysis")
    band_high = min(BAND_HIGH_HZ, 0.45 * fs)
    return AngleSpectra(fs, freqs, psds, uniforms, band_high, note)


def estimate_tremor(series: AngleSeries) -> TremorEstimate:
    """Return the tremor estimate of a (cleaned) angle series."""
    spectra = angle_spectra(series)
    if spectra.unmeasured is not None:
        return _unmeasured(spectra.unmeasured)
    assert spectra.fs is not None and spectra.band_high_hz is not None
    powers = {AXIS_NAMES[name]: spectra.band_power(name) for name in spectra.psd}
    axis_key = max(spectra.psd, key=lambda k: powers[AXIS_NAMES[k]])
    freqs, psd = spectra.freqs, spectra.psd[axis_key]
    in_band = (freqs >= BAND_LOW_HZ) & (freqs <= spectra.band_high_hz)
    band_freqs, band_psd = freqs[in_band], psd[in_band]
    peak = int(np.argmax(band_psd))
    median_psd = float(np.median(band_psd))
    ratio = float(band_psd[peak] / median_psd) if median_psd > 0 else math.inf
    if ratio < MIN_PEAK_TO_MEDIAN:
        estimate = TremorEstimate(None, None, None, powers, ratio, "no distinct tremor peak")
        return estimate
    frequency = float(band_freqs[peak])
    amplitude = _band_amplitude(spectra.uniform[axis_key], spectra.fs, frequency)
    return TremorEstimate(frequency, amplitude, AXIS_NAMES[axis_key], powers, ratio, spectra.note)


def _band_amplitude(signal: FloatArray, fs: float, frequency: float) -> float:
    low = max(0.3, frequency - AMPLITUDE_HALF_BAND_HZ)
    high = min(0.49 * fs, frequency + AMPLITUDE_HALF_BAND_HZ)
    sos = butter(4, [low, high], btype="bandpass", fs=fs, output="sos")
    filtered = sosfiltfilt(sos, signal - np.mean(signal))
    edge = min(len(filtered) // 4, int(round(0.5 * fs)))  # filter transients at both ends
    core = filtered[edge : len(filtered) - edge] if edge else filtered
    return float(math.sqrt(2.0) * np.sqrt(np.mean(core**2)))


def _unmeasured(note: str) -> TremorEstimate:
    return TremorEstimate(None, None, None, {}, None, note)


def _no_spectra(reason: str) -> AngleSpectra:
    return AngleSpectra(None, np.zeros(0), {}, {}, None, None, unmeasured=reason)
