"""Words for check-in readings: plain language for the patient, never a diagnosis.

Pure: texts are marked with ``gettext_noop`` and pages pass ``translate`` (gettext) so a patient
reads them in their language (issue #17).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from collis.checkins.protocol import SEGMENTS, gettext_noop

# Changes smaller than this are "about the same": the engine's angle error on phone video is a
# few degrees [S: posture-research.md, landmark head-pose error 3-5°].
SAME_DEG = 5.0

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _side(value: float, positive: str, negative: str, translate: Translate) -> str:
    if abs(value) < 1:
        return translate(gettext_noop("straight"))
    return f"{abs(value):.0f}° {translate(positive if value > 0 else negative)}"


def segment_rows(
    segments: dict[str, Any], stills: Collection[str] = (), translate: Translate = _same
) -> list[dict[str, Any]]:
    """One row per protocol step that was read; ``still``: a picture of it exists."""
    rows = []
    for segment in SEGMENTS:
        reading = (segments or {}).get(segment.key)
        if reading is None:
            continue
        if segment.axis is None:
            parts = []
            for key, pos, neg in (
                ("rotation_deg", gettext_noop("to the left"), gettext_noop("to the right")),
                ("laterocollis_deg", gettext_noop("toward the left shoulder"),
                 gettext_noop("toward the right shoulder")),
                ("flexion_deg", gettext_noop("chin down"), gettext_noop("chin up")),
            ):  # fmt: skip
                if reading.get(key) is not None:
                    parts.append(_side(reading[key], pos, neg, translate))
            tremor = reading.get("tremor") or {}
            if tremor.get("detected"):
                parts.append(
                    translate(gettext_noop("tremor %(amplitude)s° at %(frequency)s Hz"))
                    % {"amplitude": tremor["amplitude_deg"], "frequency": tremor["frequency_hz"]}
                )
            elif tremor.get("detected") is False:
                parts.append(translate(gettext_noop("no tremor seen")))
            value = "; ".join(parts) or translate(gettext_noop("not measured"))
        else:
            value = (
                translate(gettext_noop("not measured"))
                if reading.get("range_deg") is None
                else (f"{reading['range_deg']:.0f}°")
            )
        rows.append(
            {
                "key": segment.key,
                "label": translate(segment.prompt),
                "value": value,
                "flags": [translate(f) for f in reading.get("flags", [])],
                "still": segment.key in stills,
            }
        )
    return rows


def patient_sentences(checkins: Sequence[Any], translate: Translate = _same) -> list[str]:
    """Plain sentences about the newest analysed check-in against the one before it."""
    analysed = [c for c in checkins if c.is_analysed and c.resting_rotation_deg is not None]
    if not analysed:
        return []
    latest = analysed[0]
    previous = analysed[1] if len(analysed) > 1 else None
    out = []
    for attr, what, pos, neg in (
        ("resting_rotation_deg", gettext_noop("Your head turn at rest this time: %(reading)s"),
         gettext_noop("to the left"), gettext_noop("to the right")),
        ("resting_laterocollis_deg", gettext_noop("Your head tilt at rest this time: %(reading)s"),
         gettext_noop("toward the left shoulder"), gettext_noop("toward the right shoulder")),
    ):  # fmt: skip
        value = getattr(latest, attr)
        if value is None:
            continue
        sentence = translate(what) % {"reading": _side(value, pos, neg, translate)}
        before = getattr(previous, attr) if previous else None
        if before is not None:
            change = abs(value) - abs(before)
            if abs(change) < SAME_DEG:
                sentence += translate(gettext_noop(", about the same as last time"))
            elif change > 0:
                sentence += translate(gettext_noop(", more than last time"))
            else:
                sentence += translate(gettext_noop(", less than last time"))
        out.append(sentence + ".")
    out.append(
        translate(
            gettext_noop(
                "These are measurements from your video, not a diagnosis. Your clinic looks at "
                "them and will contact you if anything needs to change."
            )
        )
    )
    return out
