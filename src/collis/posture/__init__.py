"""Head-posture analysis of photos and videos for cervical dystonia (pure Python, no Django).

Public API::

    analyze(path, *, mirrored=False, progress=None, annotate_to=None) -> PostureResult
    PostureResult.to_dict()   # the DESIGN.md JSON object
    angle_spectra(series) -> AngleSpectra   # the Welch spectra behind the tremor estimate
    Progress                  # what a progress callback receives
    PostureError, UnreadableInputError, NoFaceError

Imports point inward: cli → analysis → (media, landmarks, measurement, series, tremor, trunk,
suggestions, quality, annotate) → geometry, reference_face, errors. MediaPipe is imported by
``landmarks`` (the face mesh and pose) and ``reference_face`` (the canonical face model).
"""

from .analysis import analyze
from .errors import NoFaceError, OrientationError, PostureError, UnreadableInputError
from .progress import Progress
from .result import Excursion, HeadAngles, NeutralReference, PostureResult, Shifts
from .series import AngleSeries, clean_series
from .suggestions import SeveritySuggestion
from .tremor import AngleSpectra, TremorEstimate, angle_spectra

__all__ = [
    "AngleSeries",
    "AngleSpectra",
    "Excursion",
    "HeadAngles",
    "NeutralReference",
    "NoFaceError",
    "OrientationError",
    "PostureError",
    "PostureResult",
    "Progress",
    "SeveritySuggestion",
    "Shifts",
    "TremorEstimate",
    "UnreadableInputError",
    "analyze",
    "angle_spectra",
    "clean_series",
]
