"""Privacy hook of interop: bulk exports written before an anonymisation are erased.

An NDJSON file of an earlier ``$export`` holds the old identity; it cannot be corrected in
place without re-running the export, so the files are deleted and the job's manifest emptied.
A new export gives the anonymised record.
"""

from __future__ import annotations

import shutil

from django.db import transaction

from collis.interop.jobs import EXPORT_JOB, export_dir
from collis.jobs.models import Job
from collis.patients.models import Patient


def erase_bulk_exports(patient: Patient) -> dict[str, int]:
    jobs = list(Job.objects.filter(name=EXPORT_JOB).exclude(state=Job.State.QUEUED))
    for job in jobs:
        if isinstance(job.result, dict):
            Job.objects.filter(pk=job.pk).update(
                result={**job.result, "output": [], "erased": "a patient was anonymised"}
            )
    folders = [export_dir(job.pk) for job in jobs if export_dir(job.pk).exists()]

    def delete() -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    transaction.on_commit(delete)
    return {"bulk exports": len(folders)}
