"""Words for check-in readings: plain language for the patient, never a diagnosis."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from collis.checkins.protocol import SEGMENTS

# Changes smaller than this are "about the same": the engine's angle error on phone video is a
# few degrees [S: posture-research.md, landmark head-pose error 3-5°].
SAME_DEG = 5.0


def _side(value: float, positive: str, negative: str) -> str:
    if abs(value) < 1:
        return "straight"
    return f"{abs(value):.0f}° {positive if value > 0 else negative}"


def segment_rows(segments: dict[str, Any], stills: Collection[str] = ()) -> list[dict[str, Any]]:
    """One row per protocol step that was read; ``still``: a picture of it exists."""
    rows = []
    for segment in SEGMENTS:
        reading = (segments or {}).get(segment.key)
        if reading is None:
            continue
        if segment.axis is None:
            parts = []
            for key, pos, neg in (
                ("rotation_deg", "to the left", "to the right"),
                ("laterocollis_deg", "toward the left shoulder", "toward the right shoulder"),
                ("flexion_deg", "chin down", "chin up"),
            ):
                if reading.get(key) is not None:
                    parts.append(_side(reading[key], pos, neg))
            tremor = reading.get("tremor") or {}
            if tremor.get("detected"):
                parts.append(f"tremor {tremor['amplitude_deg']}° at {tremor['frequency_hz']} Hz")
            elif tremor.get("detected") is False:
                parts.append("no tremor seen")
            value = "; ".join(parts) or "not measured"
        else:
            value = (
                "not measured"
                if reading.get("range_deg") is None
                else (f"{reading['range_deg']:.0f}°")
            )
        rows.append(
            {
                "key": segment.key,
                "label": segment.prompt,
                "value": value,
                "flags": reading.get("flags", []),
                "still": segment.key in stills,
            }
        )
    return rows


def patient_sentences(checkins: Sequence[Any]) -> list[str]:
    """Plain sentences about the newest analysed check-in against the one before it."""
    analysed = [c for c in checkins if c.is_analysed and c.resting_rotation_deg is not None]
    if not analysed:
        return []
    latest = analysed[0]
    previous = analysed[1] if len(analysed) > 1 else None
    out = []
    for attr, what, pos, neg in (
        ("resting_rotation_deg", "Your head turn at rest", "to the left", "to the right"),
        ("resting_laterocollis_deg", "Your head tilt at rest", "toward the left shoulder",
         "toward the right shoulder"),
    ):  # fmt: skip
        value = getattr(latest, attr)
        if value is None:
            continue
        sentence = f"{what} this time: {_side(value, pos, neg)}"
        before = getattr(previous, attr) if previous else None
        if before is not None:
            change = abs(value) - abs(before)
            if abs(change) < SAME_DEG:
                sentence += ", about the same as last time"
            elif change > 0:
                sentence += ", more than last time"
            else:
                sentence += ", less than last time"
        out.append(sentence + ".")
    out.append(
        "These are measurements from your video, not a diagnosis. Your clinic looks at them and "
        "will contact you if anything needs to change."
    )
    return out
