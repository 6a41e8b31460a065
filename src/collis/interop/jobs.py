"""Background jobs of the interop app: the FHIR bulk export (system, Patient and Group level)."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone

from collis.interop.fhir import versions
from collis.interop.fhir.resources import REGISTRY
from collis.interop.fhir.search import instant_range, parse_date
from collis.jobs import register
from collis.jobs.models import Job
from collis.jobs.runner import PermanentJobError
from collis.lib.storage import save_path
from collis.patients.models import Patient
from collis.providers.models import Clinician
from collis.scheduling.availability import clinic_zone

EXPORT_JOB = "interop.bulk_export"
CANCELLED = "cancelled by the client"
CHUNK = 500


def export_name(job_id: int, resource_type: str) -> str:
    """Where an export file lives in the media storage (local disk or S3)."""
    return f"fhir-exports/{job_id}/{resource_type}.ndjson"


def groups() -> dict[str, str]:
    """The patient Groups Collis knows: every patient, and each clinician's patients (those
    with an appointment with them). Id -> name."""
    found = {"all": "Every patient of the clinic"}
    for clinician in Clinician.objects.order_by("pk"):
        found[f"clinician-{clinician.pk}"] = f"Patients of {clinician.display_name}"
    return found


def group_patients(group_id: str) -> QuerySet:
    if group_id == "all":
        return Patient.objects.all()
    clinician_pk = int(group_id.removeprefix("clinician-"))
    return Patient.objects.filter(appointments__clinician_id=clinician_pk).distinct()


def _cancelled(job: Job) -> bool:
    return Job.objects.filter(pk=job.pk, error=CANCELLED).exists()


def _chunks(rows: Any):
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=CHUNK)
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@register(EXPORT_JOB, max_attempts=2)
def run_bulk_export(
    job: Job,
    types: list[str],
    level: str = "system",
    group: str | None = None,
    since: str | None = None,
    request: str | None = None,
) -> dict[str, Any]:
    """Write one NDJSON file per resource type; the result is the Bulk Data manifest body.

    At Patient and Group level only patient-compartment types are written, and for a Group only
    its members' rows. With ``since``, only resources whose ``meta.lastUpdated`` is at or after
    it (which stamps each resource's version).
    """
    members = group_patients(group).values("pk") if group else None
    after: datetime | None = None
    if since:
        after = instant_range(parse_date(f"ge{since}", clinic_zone()), timezone.now()).lower
    output = []
    with tempfile.TemporaryDirectory() as tmp:
        _export(job, types, tmp, members, after, output)
    if _cancelled(job):
        raise PermanentJobError(CANCELLED)
    return {"transactionTime": timezone.now().isoformat(), "output": output}


def _export(job: Job, types: list[str], tmp: str, members: Any, after: Any, output: list) -> None:
    for index, name in enumerate(types):
        if _cancelled(job):
            raise PermanentJobError(CANCELLED)
        resource = REGISTRY[name]
        count = 0
        local = Path(tmp) / f"{name}.ndjson"
        with local.open("w", encoding="utf-8") as fh:
            for source in resource.sources():
                if source.virtual is not None:
                    rows: Any = source.virtual.export() if source.virtual.export else []
                else:
                    rows = source.queryset().order_by("pk")
                    if members is not None and source.patient_field is not None:
                        rows = rows.filter(**{f"{source.patient_field}__in": members})
                for chunk in _chunks(rows):
                    bodies = [source.to_fhir(obj) for obj in chunk]
                    if after is not None:
                        bodies = [
                            b
                            for b in versions.stamp(bodies)
                            if datetime.fromisoformat(
                                b["meta"]["lastUpdated"].replace("Z", "+00:00")
                            )
                            >= after
                        ]
                    for body in bodies:
                        fh.write(json.dumps(body, separators=(",", ":")) + "\n")
                    count += len(bodies)
        stored = export_name(job.pk, name)
        if default_storage.exists(stored):  # a retried job replaces its own file
            default_storage.delete(stored)
        save_path(stored, local)
        output.append({"type": name, "count": count})
        job.report_progress((index + 1) / len(types), f"{name}: {count}")
