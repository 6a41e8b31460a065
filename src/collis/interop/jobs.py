"""Background jobs of the interop app: the FHIR bulk export."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone

from collis.interop.fhir.resources import REGISTRY
from collis.jobs import register
from collis.jobs.models import Job
from collis.lib.storage import save_path

EXPORT_JOB = "interop.bulk_export"


def export_name(job_id: int, resource_type: str) -> str:
    """Where an export file lives in the media storage (local disk or S3)."""
    return f"fhir-exports/{job_id}/{resource_type}.ndjson"


@register(EXPORT_JOB, max_attempts=2)
def run_bulk_export(job: Job, types: list[str]) -> dict[str, Any]:
    """Write one NDJSON file per resource type; the result is the Bulk Data manifest body."""
    output = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, name in enumerate(types):
            resource = REGISTRY[name]
            count = 0
            local = Path(tmp) / f"{name}.ndjson"
            with local.open("w", encoding="utf-8") as fh:
                for source in resource.sources():
                    for obj in source.queryset().order_by("pk").iterator(chunk_size=500):
                        fh.write(json.dumps(source.to_fhir(obj), separators=(",", ":")) + "\n")
                        count += 1
            stored = export_name(job.pk, name)
            if default_storage.exists(stored):  # a retried job replaces its own file
                default_storage.delete(stored)
            save_path(stored, local)
            output.append({"type": name, "count": count})
            job.report_progress((index + 1) / len(types), f"{name}: {count}")
    return {"transactionTime": timezone.now().isoformat(), "output": output}
