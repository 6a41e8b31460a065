"""Patient/{id}/$everything and the system-level bulk $export (FHIR Bulk Data, NDJSON)."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from collis.accounts.roles import is_administrator
from collis.audit.actions import Action, record_access
from collis.interop.fhir import mappers
from collis.interop.fhir.access import FhirClient, FhirForbiddenError, authenticate, visible
from collis.interop.fhir.capability import OPERATIONS
from collis.interop.fhir.resources import REGISTRY, ResourceType
from collis.interop.fhir.views import _guarded, base_url, fhir_response, outcome
from collis.interop.jobs import EXPORT_JOB, export_name
from collis.jobs.actions import enqueue
from collis.jobs.models import Job

OPERATIONS.extend(
    [
        {
            "name": "everything",
            "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
        },
        {
            "name": "export",
            "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
        },
    ]
)


def patient_compartment(client: FhirClient, patient_pk: int) -> list[tuple[ResourceType, Any]]:
    """Every stored resource of the patient this client may read, as (type, row) pairs.

    Types outside the token's scopes or the client's role (the front desk and clinical types)
    are left out rather than refusing the whole record.
    """
    rows: list[tuple[ResourceType, Any]] = []
    for resource in (source for kind in REGISTRY.values() for source in kind.sources()):
        if resource.patient_field is None or resource.virtual is not None:
            continue
        try:
            client.check_scope(resource, "read")
            qs = visible(client, resource)
        except FhirForbiddenError:
            continue
        for obj in qs.filter(**{resource.patient_field: patient_pk}).order_by("pk"):
            rows.append((resource, obj))
    return rows


@_guarded
@require_GET
def patient_everything(request: HttpRequest, resource_id: str) -> HttpResponse:
    client = authenticate(request)
    patient_type = REGISTRY["Patient"]
    client.check_scope(patient_type, "read")
    pk = patient_type.pk_of(resource_id)
    if pk is None or not visible(client, patient_type).filter(pk=pk).exists():
        return outcome(404, "not-found", f"Patient/{resource_id} is not known.")
    entries = [resource.to_fhir(obj) for resource, obj in patient_compartment(client, pk)]
    record_access(
        request,
        Action.EXPORT,
        object_type="fhir.Patient.$everything",
        object_id=resource_id,
        patient_id=pk,
        user=client.user,
        detail={"entries": len(entries)},
    )
    url = f"{base_url(request)}/Patient/{resource_id}/$everything"
    return fhir_response(mappers.searchset(base_url(request), entries, len(entries), {"self": url}))


def _require_admin(request: HttpRequest):
    client = authenticate(request)
    if not is_administrator(client.user):
        raise FhirForbiddenError("Bulk export is for clinic administrators.")
    if client.token is not None and not client.token.allows("*", "read"):
        raise FhirForbiddenError("Bulk export needs a token with the *.read scope.")
    return client


@_guarded
@require_GET
def bulk_export_kickoff(request: HttpRequest) -> HttpResponse:
    client = _require_admin(request)
    if request.headers.get("Prefer") != "respond-async":
        return outcome(400, "invalid", "Bulk export needs the header 'Prefer: respond-async'.")
    # Schedules and free Slots are computed on request, not stored: there is nothing to export.
    stored = [name for name, resource in REGISTRY.items() if resource.virtual is None]
    requested = [t for t in request.GET.get("_type", "").split(",") if t] or stored
    unknown = [t for t in requested if t not in stored]
    if unknown:
        return outcome(400, "not-supported", f"Not exportable _type: {', '.join(unknown)}")
    job = enqueue(EXPORT_JOB, types=requested)
    record_access(
        request,
        Action.EXPORT,
        object_type="fhir.$export",
        object_id=job.pk,
        user=client.user,
        detail={"types": requested},
    )
    status_url = request.build_absolute_uri(reverse("fhir:export-status", args=[job.pk]))
    return HttpResponse(status=202, headers={"Content-Location": status_url})


@_guarded
@require_GET
def bulk_export_status(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_admin(request)
    job = Job.objects.filter(pk=job_id, name=EXPORT_JOB).first()
    if job is None:
        return outcome(404, "not-found", "No such export.")
    if job.state == Job.State.FAILED:
        return outcome(500, "exception", f"The export failed: {job.error}")
    if job.state != Job.State.DONE:
        return HttpResponse(
            status=202, headers={"X-Progress": f"{job.percent}%", "Retry-After": "2"}
        )
    manifest = {
        "transactionTime": job.result["transactionTime"],
        "request": request.build_absolute_uri(reverse("fhir:export")),
        "requiresAccessToken": True,
        "output": [
            {
                "type": item["type"],
                "count": item["count"],
                "url": request.build_absolute_uri(
                    reverse("fhir:export-file", args=[job.pk, item["type"]])
                ),
            }
            for item in job.result["output"]
        ],
        "error": [],
    }
    return HttpResponse(json.dumps(manifest), content_type="application/json")


@_guarded
@require_GET
def bulk_export_file(request: HttpRequest, job_id: int, resource_type: str) -> HttpResponse:
    client = _require_admin(request)
    if resource_type not in REGISTRY:
        return outcome(404, "not-found", "No such export file.")
    name = export_name(job_id, resource_type)
    if not default_storage.exists(name):
        return outcome(404, "not-found", "No such export file.")
    record_access(
        request,
        Action.EXPORT,
        object_type="fhir.$export-file",
        object_id=f"{job_id}/{resource_type}",
        user=client.user,
    )
    return FileResponse(default_storage.open(name, "rb"), content_type="application/fhir+ndjson")
