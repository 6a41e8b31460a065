"""Privacy hooks: check-ins and the clinic's messages in the data export; media and free text
erased on anonymisation."""

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
            "messages_from_clinic": [
                {
                    "sent_at": m.sent_at.isoformat(),
                    "from": m.sender_name,
                    "message": m.body,
                    "read_at": m.read_at.isoformat() if m.read_at else None,
                }
                for m in c.messages.all()
            ],
        }
        for c in HomeCheckin.objects.filter(patient=patient)
        .select_related("job")
        .prefetch_related("messages")
    ]


def delete_media(patient) -> None:  # noqa: ANN001
    """Erase the videos and stills, and the free text (notes, messages) that may name people."""
    actions.erase_patient_media(patient)
    actions.erase_patient_free_text(patient)
