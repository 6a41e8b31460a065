"""Privacy hook of interop: bulk exports written before an anonymisation are erased.

An NDJSON file of an earlier ``$export`` holds the old identity; it cannot be corrected in
place without re-running the export, so the files are deleted from the media storage and the
job's manifest emptied. A new export gives the anonymised record.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction

from collis.interop.jobs import EXPORT_JOB, export_name
from collis.jobs.models import Job
from collis.patients.models import Patient


def erase_bulk_exports(patient: Patient) -> dict[str, int]:
    names: list[str] = []
    for job in Job.objects.filter(name=EXPORT_JOB).exclude(state=Job.State.QUEUED):
        if not isinstance(job.result, dict):
            continue
        names += [export_name(job.pk, item["type"]) for item in job.result.get("output", [])]
        Job.objects.filter(pk=job.pk).update(
            result={**job.result, "output": [], "erased": "a patient was anonymised"}
        )

    def delete() -> None:
        for name in names:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(delete)
    return {"bulk export files": len(names)}
