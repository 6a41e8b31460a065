"""Privacy hooks: posture measurements in the data export; media erased on anonymisation."""

from __future__ import annotations

from typing import Any

from collis.recordings import actions
from collis.recordings.models import PostureRecording


def export_measurements(patient) -> list[dict[str, Any]]:  # noqa: ANN001 (patients.Patient)
    """Return the patient's posture measurements (the media files are not part of the export)."""
    return [
        {
            "created_at": r.created_at.isoformat(),
            "visit_id": r.visit_id,
            "kind": r.kind,
            "status": r.status,
            "result": r.result,
            "original_deleted_at": (
                r.original_deleted_at.isoformat() if r.original_deleted_at else None
            ),
        }
        for r in PostureRecording.objects.filter(patient=patient).select_related("job")
    ]


def delete_media(patient) -> dict[str, int]:  # noqa: ANN001
    """Erase every photo and video of the patient: faces identify people."""
    return {"posture photos and videos": actions.erase_patient_media(patient)}
