"""Every scale detail that clinical.md marks unverified ([U]) or secondary-only ([S]).

This is the ONE place a clinic edits when its licensed scale forms say otherwise. Each entry
names its source line in ``shared/clinical.md`` (version of 2026). Verified ([V]) details live
with their scale in ``twstrs.py`` and ``tsui.py``. Pure: no Django imports.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "PAIN_SEVERITY_FORMULA",
    "TSUI_ANGLE_GRADES",
    "TSUI_ANTERO_RETRO_GRADES",
    "TSUI_MAXIMUM",
    "TSUI_POSTURE_DURATION_GRADES",
    "TSUI_SHOULDER_GRADES",
    "TSUI_TREMOR_DURATION_GRADES",
    "TSUI_TREMOR_SEVERITY_GRADES",
    "TWSTRS_ROM_GRADES",
    "TWSTRS_TIME_BANDS",
    "TWSTRS_TIME_GRADES",
    "pain_severity_from_ratings",
    "time_at_midline_grade",
]

# --- TWSTRS severity E: range of motion without tricks, 0–4 ------------------------------------
# clinical.md §1.1 E [S] (third-party transcription; confirm with the licensed form).
TWSTRS_ROM_GRADES: tuple[str, ...] = (
    "reaches the opposite extreme",
    "well past midline",
    "barely past midline",
    "toward but not past midline",
    "barely beyond the abnormal posture",
)

# --- TWSTRS severity F: time the head is held within 10° of neutral, 0–4 ----------------------
# The task (hold within 10° of neutral, up to 60 s, without tricks) is [V]; the bands are [S]
# (clinical.md §1.1 F). The transcription leaves exactly 15 s unassigned ("<15" then "16–30");
# 15 s is placed in grade 4 here, the worse grade, until a clinic confirms otherwise.
# (lowest whole second, highest whole second or None for "no upper bound", grade)
TWSTRS_TIME_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (61, None, 0),  # > 60 s
    (46, 60, 1),
    (31, 45, 2),
    (16, 30, 3),
    (0, 15, 4),  # < 15 s (and 15 s, see above)
)
TWSTRS_TIME_GRADES: tuple[str, ...] = ("> 60 s", "46–60 s", "31–45 s", "16–30 s", "15 s or less")


def time_at_midline_grade(seconds: int) -> int:
    """Return the TWSTRS time-at-midline grade (0–4) for whole seconds held near neutral."""
    if seconds < 0:
        raise ValueError("seconds held cannot be negative")
    for low, high, grade in TWSTRS_TIME_BANDS:
        if seconds >= low and (high is None or seconds <= high):
            return grade
    raise AssertionError("TWSTRS_TIME_BANDS must cover every whole second")  # pragma: no cover


# --- TWSTRS pain severity, 0–10 ----------------------------------------------------------------
# The item is derived from best, worst and usual pain over the past week [V], but the often-quoted
# formula (worst + best + 2 × usual) / 4 was NOT found in a primary source: clinical.md §1.1 [U].
# Collis only offers it as a suggestion for an empty pain-severity field; the clinician confirms.
PAIN_SEVERITY_FORMULA = "(worst + best + 2 × usual) / 4, rounded half up"


def pain_severity_from_ratings(*, best: int, worst: int, usual: int) -> int:
    """Return the [U] pain-severity suggestion (0–10) from three 0–10 ratings of the past week.

    Raises ``ValueError`` unless each rating is a whole number 0–10 and best ≤ usual ≤ worst.
    Halves round up: (worst + best + 2 × usual) is a whole number, so the quotient ends in
    .0, .25, .5 or .75, and only .5 is a tie.
    """
    for name, value in (("best", best), ("worst", worst), ("usual", usual)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} pain must be a whole number 0–10, not {value!r}")
        if not 0 <= value <= 10:
            raise ValueError(f"{name} pain must be 0–10, not {value}")
    if not best <= usual <= worst:
        raise ValueError(
            f"pain ratings must satisfy best ≤ usual ≤ worst (best {best}, usual {usual}, "
            f"worst {worst})"
        )
    raw = Decimal(worst + best + 2 * usual) / 4
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Tsui scale, 0–25 --------------------------------------------------------------------------
# The items covered are [V]; the point scheme is [U] "commonly cited" (clinical.md §1.3):
#   A = rotation + tilt + antero/retrocollis, each 0–3 (rotation/tilt <15°, 15–30°, >30°)
#   B = 1 intermittent, 2 constant;  C = shoulder elevation 0–3
#   D = tremor severity (1–2) × tremor duration (1–2), 0 without tremor
#   total = A × B + C + D  (max 9 × 2 + 3 + 4 = 25)
TSUI_ANGLE_GRADES: tuple[str, ...] = ("absent", "< 15°", "15–30°", "> 30°")
TSUI_ANTERO_RETRO_GRADES: tuple[str, ...] = ("absent", "mild", "moderate", "severe")
TSUI_POSTURE_DURATION_GRADES: tuple[str, ...] = ("intermittent", "constant")  # B: 1, 2
TSUI_SHOULDER_GRADES: tuple[str, ...] = ("absent", "mild", "moderate", "severe")
TSUI_TREMOR_SEVERITY_GRADES: tuple[str, ...] = ("no tremor", "mild", "severe")
TSUI_TREMOR_DURATION_GRADES: tuple[str, ...] = ("no tremor", "occasional", "continuous")
TSUI_MAXIMUM = 25
