"""Background jobs of the interop app: the FHIR bulk export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from collis.interop.fhir.resources import REGISTRY
from collis.jobs import register
from collis.jobs.models import Job

EXPORT_JOB = "interop.bulk_export"


def export_dir(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "fhir-exports" / str(job_id)


@register(EXPORT_JOB, max_attempts=2)
def run_bulk_export(job: Job, types: list[str]) -> dict[str, Any]:
    """Write one NDJSON file per resource type; the result is the Bulk Data manifest body."""
    target = export_dir(job.pk)
    target.mkdir(parents=True, exist_ok=True)
    output = []
    for index, name in enumerate(types):
        resource = REGISTRY[name]
        count = 0
        with (target / f"{name}.ndjson").open("w", encoding="utf-8") as fh:
            for source in resource.sources():
                for obj in source.queryset().order_by("pk").iterator(chunk_size=500):
                    fh.write(json.dumps(source.to_fhir(obj), separators=(",", ":")) + "\n")
                    count += 1
        output.append({"type": name, "count": count})
        job.report_progress((index + 1) / len(types), f"{name}: {count}")
    return {"transactionTime": timezone.now().isoformat(), "output": output}
