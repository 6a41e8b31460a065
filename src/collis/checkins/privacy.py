"""Privacy hooks: home check-in measurements in the data export; media erased on anonymisation."""

from __future__ import annotations

from typing import Any

from collis.checkins import actions
from collis.checkins.models import HomeCheckin


def export_checkins(patient) -> list[dict[str, Any]]:  # noqa: ANN001
    return [
        {
            "recorded_at": c.recorded_at.isoformat(),
            "protocol_version": c.protocol_version,
            "status": c.status,
            "segments": c.segments,
            "resting": {
                "rotation_deg": c.resting_rotation_deg,
                "laterocollis_deg": c.resting_laterocollis_deg,
                "flexion_deg": c.resting_flexion_deg,
            },
            "tremor_amplitude_deg": c.tremor_amplitude_deg,
            "note": c.patient_note,
            "reviewed_at": c.reviewed_at.isoformat() if c.reviewed_at else None,
        }
        for c in HomeCheckin.objects.filter(patient=patient).select_related("job")
    ]


def delete_media(patient) -> None:  # noqa: ANN001
    actions.erase_patient_media(patient)
