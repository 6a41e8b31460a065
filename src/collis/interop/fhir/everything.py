"""Patient/{id}/$everything and FHIR Bulk Data $export (system, Patient and Group level).

$everything: the patient's compartment this client may read, plus every resource those entries
refer to (practitioners, locations, the organisation, held slots and schedules), so the Bundle
is self-contained; ``start``/``end`` bound care dates, ``_since`` the last update, ``_count``
pages.

Bulk Data (v2, https://hl7.org/fhir/uv/bulkdata/): kick-off by GET or POST (query parameters or
a Parameters body) with ``Prefer: respond-async``; ``_type``, ``_since``, ``_outputFormat``
(NDJSON only; anything else is refused); status polling; DELETE cancels; the manifest echoes
the kick-off ``request``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from collis.accounts.roles import is_administrator
from collis.audit.actions import Action, record_access
from collis.interop.fhir import mappers, versions
from collis.interop.fhir.access import FhirClient, FhirForbiddenError, authenticate, visible
from collis.interop.fhir.capability import OPERATIONS
from collis.interop.fhir.errors import NotFoundError, SearchError
from collis.interop.fhir.resources import REGISTRY, ResourceType
from collis.interop.fhir.search import instant_range, parse_date
from collis.interop.fhir.views import (
    _read_one,
    _readable,
    _references,
    base_url,
    fhir_response,
    fhir_view,
    outcome,
)
from collis.interop.jobs import CANCELLED, EXPORT_JOB, export_name, groups
from collis.jobs.actions import enqueue
from collis.jobs.models import Job
from collis.scheduling.availability import clinic_zone

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
        {
            "name": "patient-export",
            "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export",
        },
        {
            "name": "group-export",
            "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
        },
    ]
)
NDJSON_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}
MAX_EVERYTHING_PAGE = 1000


def care_date_field(resource: ResourceType) -> str | None:
    """The stored field of a type's clinical date (its date search parameter's sort key)."""
    for name, field_name in resource.sort.items():
        param = resource.search.get(name)
        if param is not None and param.type == "date" and resource.name != "Patient":
            return field_name
    return None


def patient_compartment(
    client: FhirClient,
    patient_pk: int,
    start: str | None = None,
    end: str | None = None,
) -> list[tuple[ResourceType, Any]]:
    """Every stored resource of the patient this client may read, as (type, row) pairs.

    Types outside the token's scopes or the client's role (the front desk and clinical types)
    are left out rather than refusing the whole record. ``start``/``end`` (FHIR dates) keep
    resources whose care date falls in that range; the Patient itself is always kept.
    """
    zone, now = clinic_zone(), timezone.now()
    lower = instant_range(parse_date(f"ge{start}", zone), now).lower if start else None
    upper = instant_range(parse_date(f"le{end}", zone), now).upper if end else None
    rows: list[tuple[ResourceType, Any]] = []
    for resource in (source for kind in REGISTRY.values() for source in kind.sources()):
        if resource.patient_field is None or resource.virtual is not None:
            continue
        try:
            client.check_scope(resource, "read")
            qs = visible(client, resource)
        except FhirForbiddenError:
            continue
        qs = qs.filter(**{resource.patient_field: patient_pk})
        field_name = care_date_field(resource)
        if field_name is not None:
            if lower is not None:
                qs = qs.filter(**{f"{field_name}__gte": _bound(lower, resource, field_name)})
            if upper is not None:
                qs = qs.filter(**{f"{field_name}__lt": _bound(upper, resource, field_name)})
        for obj in qs.order_by("pk"):
            rows.append((resource, obj))
    return rows


def _bound(instant: datetime, resource: ResourceType, field_name: str) -> Any:
    """An instant bound in the field's terms: a local date for a DateField."""
    model = resource.queryset().model
    *path, last = field_name.split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
    if model._meta.get_field(last).get_internal_type() == "DateField":
        return instant.astimezone(clinic_zone()).date()
    return instant


def referenced(
    client: FhirClient, entries: list[dict[str, Any]], rounds: int = 3
) -> list[dict[str, Any]]:
    """Resources the entries refer to (and those they refer to, up to ``rounds`` deep) that are
    not among them and that this client may read."""
    have = {(e["resourceType"], e["id"]) for e in entries}
    added: list[dict[str, Any]] = []
    frontier = entries
    for _ in range(rounds):
        wanted = []
        for ref in (r for e in frontier for r in _references(e)):
            kind_name, _, ref_id = ref.rpartition("/")
            kind_name = kind_name.rpartition("/")[2]
            if (kind_name, ref_id) not in have and kind_name in REGISTRY:
                have.add((kind_name, ref_id))
                wanted.append((REGISTRY[kind_name], ref_id))
        frontier = []
        for kind, ref_id in wanted:
            source = kind.source_of(ref_id)
            if source is None or not _readable(client, kind):
                continue
            obj = _read_one(client, source, ref_id)
            if obj is not None:
                frontier.append(source.to_fhir(obj))
        if not frontier:
            break
        added.extend(frontier)
    return added


@fhir_view("GET")
def patient_everything(request: HttpRequest, resource_id: str) -> HttpResponse:
    client = authenticate(request)
    patient_type = REGISTRY["Patient"]
    client.check_scope(patient_type, "read")
    pk = patient_type.pk_of(resource_id)
    if pk is None or not visible(client, patient_type).filter(pk=pk).exists():
        return outcome(404, "not-found", f"Patient/{resource_id} is not known.")
    start, end = request.GET.get("start"), request.GET.get("end")
    since = request.GET.get("_since")
    try:
        count = min(int(request.GET.get("_count", MAX_EVERYTHING_PAGE)), MAX_EVERYTHING_PAGE)
        offset = int(request.GET.get("_offset", 0))
    except ValueError as exc:
        raise SearchError("_count and _offset must be whole numbers") from exc
    if count < 1 or offset < 0:
        raise SearchError("_count must be at least 1 and _offset not negative")
    own = [resource.to_fhir(obj) for resource, obj in patient_compartment(client, pk, start, end)]
    entries = versions.stamp(own + referenced(client, own))
    if since:
        after = instant_range(parse_date(f"ge{since}", clinic_zone()), timezone.now()).lower
        entries = [
            e
            for e in entries
            if e["resourceType"] == "Patient"
            or datetime.fromisoformat(e["meta"]["lastUpdated"].replace("Z", "+00:00")) >= after
        ]
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
    echo = {k: v for k, v in {"start": start, "end": end, "_since": since}.items() if v}

    def link(at: int) -> str:
        return f"{url}?{urlencode({**echo, '_count': count, '_offset': at})}"

    links = {"self": link(offset)}
    if offset + count < len(entries):
        links["next"] = link(offset + count)
    if offset > 0:
        links["previous"] = link(max(offset - count, 0))
    page = entries[offset : offset + count]
    return fhir_response(mappers.searchset(base_url(request), page, len(entries), links))


# --- Bulk Data ---------------------------------------------------------------------------------


def _require_admin(request: HttpRequest) -> FhirClient:
    client = authenticate(request)
    if not is_administrator(client.user):
        raise FhirForbiddenError("Bulk export is for clinic administrators.")
    if not client.allows_everything("read"):
        raise FhirForbiddenError(
            "Bulk export needs a token for every type (*.read, user/*.rs or system/*.rs)."
        )
    return client


def _kickoff_params(request: HttpRequest) -> dict[str, str]:
    """The kick-off parameters: from the query string, or a POSTed Parameters resource."""
    params = {k: ",".join(v) for k, v in request.GET.lists()}
    if request.method == "POST" and request.body:
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise SearchError("The kick-off body must be a FHIR Parameters resource.") from None
        if not isinstance(body, dict) or body.get("resourceType") != "Parameters":
            raise SearchError("The kick-off body must be a FHIR Parameters resource.")
        for item in body.get("parameter", []):
            value = next((v for k, v in item.items() if k.startswith("value")), None)
            if isinstance(value, str) and item.get("name"):
                name = item["name"]
                params[name] = f"{params[name]},{value}" if name in params else value
    return params


def _kickoff(request: HttpRequest, level: str, group: str | None = None) -> HttpResponse:
    client = _require_admin(request)
    if request.headers.get("Prefer", "").replace(" ", "").find("respond-async") < 0:
        return outcome(400, "invalid", "Bulk export needs the header 'Prefer: respond-async'.")
    params = _kickoff_params(request)
    output_format = params.get("_outputFormat", "application/fhir+ndjson")
    if output_format not in NDJSON_FORMATS:
        return outcome(
            400, "not-supported", f"_outputFormat {output_format!r}: only NDJSON is produced."
        )
    unsupported = sorted(set(params) - {"_type", "_since", "_outputFormat"})
    if unsupported:
        return outcome(400, "not-supported", f"Unsupported parameters: {', '.join(unsupported)}")
    exportable = [
        name
        for name, resource in REGISTRY.items()
        if (resource.virtual is None or resource.virtual.export is not None)
        and (level == "system" or resource.patient_field is not None)
    ]
    requested = [t for t in params.get("_type", "").split(",") if t] or exportable
    unknown = [t for t in requested if t not in exportable]
    if unknown:
        return outcome(400, "not-supported", f"Not exportable _type: {', '.join(unknown)}")
    since = params.get("_since")
    if since:
        parse_date(since, clinic_zone())  # refuse a malformed date now, not in the job
    if group is not None and group not in groups():
        raise NotFoundError(f"Group/{group} is not known.")
    job = enqueue(
        EXPORT_JOB,
        types=requested,
        level=level,
        group=group,
        since=since,
        request=request.build_absolute_uri(),
    )
    record_access(
        request,
        Action.EXPORT,
        object_type="fhir.$export",
        object_id=job.pk,
        user=client.user,
        detail={"types": requested, "level": level, "group": group},
    )
    status_url = request.build_absolute_uri(reverse("fhir:export-status", args=[job.pk]))
    return HttpResponse(status=202, headers={"Content-Location": status_url})


@fhir_view("GET", "POST")
def bulk_export_kickoff(request: HttpRequest) -> HttpResponse:
    return _kickoff(request, "system")


@fhir_view("GET", "POST")
def patient_export_kickoff(request: HttpRequest) -> HttpResponse:
    return _kickoff(request, "patient")


@fhir_view("GET", "POST")
def group_export_kickoff(request: HttpRequest, group_id: str) -> HttpResponse:
    return _kickoff(request, "group", group_id)


@fhir_view("GET", "DELETE")
def bulk_export_status(request: HttpRequest, job_id: int) -> HttpResponse:
    _require_admin(request)
    job = Job.objects.filter(pk=job_id, name=EXPORT_JOB).exclude(error=CANCELLED).first()
    if job is None:
        return outcome(404, "not-found", "No such export.")
    if request.method == "DELETE":
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error=CANCELLED, finished_at=timezone.now()
        )
        for name in job.kwargs.get("types", []):
            if default_storage.exists(export_name(job.pk, name)):
                default_storage.delete(export_name(job.pk, name))
        return fhir_response(
            mappers.operation_outcome("information", "informational", "Export cancelled."), 202
        )
    if job.state == Job.State.FAILED:
        return outcome(500, "exception", f"The export failed: {job.error}")
    if job.state != Job.State.DONE:
        return HttpResponse(
            status=202, headers={"X-Progress": f"{job.percent}%", "Retry-After": "2"}
        )
    manifest = {
        "transactionTime": job.result["transactionTime"],
        "request": job.kwargs.get("request") or request.build_absolute_uri(reverse("fhir:export")),
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


@fhir_view("GET")
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
