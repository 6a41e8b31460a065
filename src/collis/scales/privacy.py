"""Privacy hooks of scales: completed and draft scores in the export (no free text to erase)."""

from __future__ import annotations

from typing import Any

from collis.patients.models import Patient
from collis.scales.models import Assessment


def export_scales(patient: Patient) -> list[dict[str, Any]]:
    return [
        {
            "scale": a.scale,
            "version": a.scale_version,
            "assessed_on": a.assessed_on,
            "timepoint": a.timepoint,
            "status": a.status,
            "total": a.total,
            "subscores": a.subscores,
            "answers": a.answers,
        }
        for a in Assessment.objects.filter(patient=patient).order_by("assessed_on", "pk")
    ]
