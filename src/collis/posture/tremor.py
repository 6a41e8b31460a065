"""Head tremor from the angle series: dominant frequency, amplitude and axis — or none.

Method of posture-research.md §4.4: resample onto a uniform grid, remove the slow voluntary
movement (zero-phase high-pass), Welch PSD with Hann windows of ≥ 4 s (≤ 0.25 Hz resolution) and
50 % overlap, linear detrend, peak search over 1–12 Hz (CD head tremor peaks as low as ~2 Hz in
video, CMOR [S14]), zero-phase band-pass for the amplitude.

A tremor is reported only for a true spectral peak (issue #14): voluntary turns give spectra
that fall steadily from low frequencies (≈ 1/f^k) and, searched naively, a "peak" at the lower
band edge. So a power law is fitted to the band's spectrum (robustly, in log–log), and the
peak must stand ``MIN_PEAK_OVER_BACKGROUND`` times above that background, be a local maximum,
and lie clear of both band edges. Otherwise the result is "looked, no tremor" (``detected``
False), not a blank.
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
# Zero-phase high-pass applied before the spectra: removes slow voluntary movement (turns of
# 1–2 s) while passing the 1-Hz lower edge of the search band almost whole (2nd-order
# Butterworth at 0.5 Hz: −0.3 dB at 1 Hz, squared by the forward–backward pass). Own choice.
HIGH_PASS_HZ = 0.5
# A peak must stand ≥ 6× (7.8 dB) above the fitted 1/f^k background of the band. The ratio of a
# Welch estimate with ~3 averaged segments scatters by ~±3 dB around the background for
# broadband movement, so 6× keeps false peaks rare; a 1° tremor over 0.3° jitter stands
# 50–100× above. Own choice.
MIN_PEAK_OVER_BACKGROUND = 6.0
# ... and lie at least this far inside the band: a maximum at the band's edge is the tail of
# slower movement (issue #14: 8 of 13 false "tremors" sat exactly at 1.0 Hz). Own choice.
EDGE_MARGIN_HZ = 0.3
AXIS_NAMES = {"rotation_deg": "yaw", "laterocollis_deg": "roll", "flexion_deg": "pitch"}


@dataclass(frozen=True)
class TremorEstimate:
    """Tremor of the axis with the clearest spectral peak; numbers are None when there is none.

    ``detected``: True for a tremor, False when the series was analysed and shows no true
    peak, None when it could not be analysed (a photo, too short) — ``note`` then says why.
    ``amplitude_deg`` is half the peak-to-peak excursion of the band-passed angle (√2·RMS,
    exact for a sinusoid). ``band_power_deg2`` holds the 1–12 Hz power of every axis;
    ``peak_over_background`` the best peak's height over the fitted 1/f^k background.
    """

    frequency_hz: float | None
    amplitude_deg: float | None
    axis: str | None
    band_power_deg2: dict[str, float]
    peak_over_background: float | None
    note: str | None
    detected: bool | None = None


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
        uniform = _high_pass(uniform, fs)
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
    best: tuple[float, str, float] | None = None  # (height over background, axis key, Hz)
    for name, psd in spectra.psd.items():
        peak = spectral_peak(spectra.freqs, psd, BAND_LOW_HZ, spectra.band_high_hz)
        if peak is not None and (best is None or peak[1] > best[0]):
            best = (peak[1], name, peak[0])
    if best is None or best[0] < MIN_PEAK_OVER_BACKGROUND:
        height = None if best is None else best[0]
        return TremorEstimate(
            None, None, None, powers, height, "no tremor: no spectral peak above the background",
            detected=False,
        )  # fmt: skip
    height, axis_key, frequency = best
    amplitude = _band_amplitude(spectra.uniform[axis_key], spectra.fs, frequency)
    return TremorEstimate(
        frequency, amplitude, AXIS_NAMES[axis_key], powers, height, spectra.note, detected=True
    )


def spectral_peak(
    freqs: FloatArray, psd: FloatArray, low_hz: float, high_hz: float
) -> tuple[float, float] | None:
    """Return (frequency, height over a fitted power-law background) of the best true peak.

    The background is a straight line in log–log fitted to the band by iteratively
    re-weighted least squares that ignores points standing far above it (the peaks). Only
    local maxima at least ``EDGE_MARGIN_HZ`` inside the band count. None when there is none.
    """
    in_band = (freqs >= low_hz) & (freqs <= high_hz) & (psd > 0)
    if in_band.sum() < 8:
        return None
    f, p = freqs[in_band], psd[in_band]
    x, y = np.log10(f), np.log10(p)
    keep = np.ones(len(f), dtype=bool)
    slope, intercept = 0.0, float(np.median(y))
    for _ in range(5):
        slope, intercept = (float(v) for v in np.polyfit(x[keep], y[keep], 1))
        residual = y - (slope * x + intercept)
        spread = 1.4826 * float(np.median(np.abs(residual[keep] - np.median(residual[keep]))))
        new_keep = residual < max(2.0 * spread, 0.15)
        if new_keep.sum() < 4 or np.array_equal(new_keep, keep):
            break
        keep = new_keep
    height = p / 10 ** (slope * x + intercept)
    interior = (f >= low_hz + EDGE_MARGIN_HZ) & (f <= high_hz - EDGE_MARGIN_HZ)
    local_max = np.zeros(len(f), dtype=bool)
    local_max[1:-1] = (p[1:-1] >= p[:-2]) & (p[1:-1] >= p[2:])
    candidates = np.flatnonzero(interior & local_max)
    if len(candidates) == 0:
        return None
    best = int(candidates[np.argmax(height[candidates])])
    return float(f[best]), float(height[best])


def _high_pass(signal: FloatArray, fs: float) -> FloatArray:
    if len(signal) < 16:
        return signal
    sos = butter(2, HIGH_PASS_HZ, btype="highpass", fs=fs, output="sos")
    return np.asarray(sosfiltfilt(sos, signal - np.mean(signal)), dtype=np.float64)


def _band_amplitude(signal: FloatArray, fs: float, frequency: float) -> float:
    low = max(0.3, frequency - AMPLITUDE_HALF_BAND_HZ)
    high = min(0.49 * fs, frequency + AMPLITUDE_HALF_BAND_HZ)
    sos = butter(4, [low, high], btype="bandpass", fs=fs, output="sos")
    filtered = sosfiltfilt(sos, signal - np.mean(signal))
    edge = min(len(filtered) // 4, int(round(0.5 * fs)))  # filter transients at both ends
    core = filtered[edge : len(filtered) - edge] if edge else filtered
    return float(math.sqrt(2.0) * np.sqrt(np.mean(core**2)))


def _unmeasured(note: str) -> TremorEstimate:
    return TremorEstimate(None, None, None, {}, None, note, detected=None)


def _no_spectra(reason: str) -> AngleSpectra:
    return AngleSpectra(None, np.zeros(0), {}, {}, None, None, unmeasured=reason)
