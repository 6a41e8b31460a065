"""FHIR REST shell: authenticate, check scope, query, page, map, audit, respond."""

from __future__ import annotations

import json
import logging
from importlib.metadata import version
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from collis.audit.actions import Action, record_access
from collis.interop.fhir import mappers
from collis.interop.fhir.access import (
    FhirAuthError,
    FhirClient,
    FhirForbiddenError,
    authenticate,
    require_reader,
    visible,
)
from collis.interop.fhir.capability import capability_statement
from collis.interop.fhir.errors import FhirError, SearchError
from collis.interop.fhir.resources import REGISTRY, ResourceType

FHIR_JSON = "application/fhir+json"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGING_PARAMS = {"_count", "_offset", "_format"}


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


logger = logging.getLogger(__name__)


def outcome(status: int, code: str, diagnostics: str) -> HttpResponse:
    severity = "error" if status < 500 else "fatal"
    headers = {"WWW_Authenticate": 'Bearer realm="collis-fhir"'} if status == 401 else {}
    return fhir_response(mappers.operation_outcome(severity, code, diagnostics), status, **headers)


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir").rstrip("/")


def _guarded(view):
    """Translate access and search errors into OperationOutcome responses, in one place."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except FhirAuthError as exc:
            return outcome(401, "login", str(exc))
        except FhirForbiddenError as exc:
            return outcome(403, "forbidden", str(exc))
        except FhirError as exc:
            return outcome(exc.status, exc.code, str(exc))
        except Exception:
            # FHIR clients get an OperationOutcome, always; the details go to the log only.
            logger.exception("FHIR request failed: %s", request.path)
            return outcome(500, "exception", "The server could not answer this request.")

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(wrapper)


def _resource_or_404(resource_type: str) -> ResourceType | HttpResponse:
    resource = REGISTRY.get(resource_type)
    if resource is None:
        return outcome(404, "not-supported", f"Resource type {resource_type!r} is not supported.")
    return resource


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    statement = capability_statement(
        base_url(request), version("collis"), timezone.now().date().isoformat()
    )
    return fhir_response(statement)


def audit_fhir_read(
    request: HttpRequest, client: FhirClient, resource: ResourceType, objs: list
) -> None:
    for obj in objs:
        record_access(
            request,
            Action.READ,
            object_type=f"fhir.{resource.name}",
            object_id=resource.fhir_id(obj),
            patient_id=resource.patient_id_of(obj),
            user=client.user,
            detail={"via": "fhir", "token": client.token.label if client.token else None},
        )


def _read_one(client: FhirClient, resource: ResourceType, resource_id: str) -> Any | None:
    if resource.virtual is not None:
        require_reader(client, resource)
        return resource.virtual.get(resource_id)
    pk = resource.pk_of(resource_id)
    return None if pk is None else visible(client, resource).filter(pk=pk).first()


@_guarded
@require_GET
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    resource = _resource_or_404(resource_type)
    if isinstance(resource, HttpResponse):
        return resource
    client = authenticate(request)
    client.check_scope(resource, "read")
    source = resource.source_of(resource_id)
    obj = None if source is None else _read_one(client, source, resource_id)
    if obj is None:
        return outcome(404, "not-found", f"{resource_type}/{resource_id} is not known.")
    audit_fhir_read(request, client, source, [obj])
    return fhir_response(source.to_fhir(obj))


@_guarded
def type_endpoint(request: HttpRequest, resource_type: str) -> HttpResponse:
    """``GET /fhir/<type>`` searches; ``POST /fhir/<type>`` creates (where supported)."""
    resource = _resource_or_404(resource_type)
    if isinstance(resource, HttpResponse):
        return resource
    if request.method == "POST":
        return create(request, resource)
    if request.method not in ("GET", "HEAD"):
        return outcome(405, "not-supported", f"{request.method} is not supported here.")
    return search(request, resource)


def _search_params(request: HttpRequest, resource: ResourceType) -> dict[str, list[str]]:
    params = {k: v for k, v in request.GET.lists() if k not in PAGING_PARAMS}
    for name in params:
        if name not in resource.search:
            known = ", ".join(sorted(resource.search)) or "none"
            raise SearchError(
                f"Unknown search parameter {name!r} for {resource.name} (known: {known})."
            )
    return params


def _matching(client: FhirClient, resource: ResourceType, params: dict[str, list[str]]):
    """Return the rows matching ``params`` as an ordered queryset or a list."""
    if resource.virtual is not None:
        require_reader(client, resource)
        return resource.virtual.find(params)
    qs = visible(client, resource)
    for name, values in params.items():
        for value in values:
            qs = resource.search[name].apply(qs, value)
    return qs.order_by("pk")


def search(request: HttpRequest, resource: ResourceType) -> HttpResponse:
    client = authenticate(request)
    client.check_scope(resource, "read")
    params = _search_params(request, resource)
    count, offset = _paging(request)
    page, total = _page_across(
        [(source, _matching(client, source, params)) for source in resource.sources()],
        offset,
        count,
    )
    for source in resource.sources():
        audit_fhir_read(request, client, source, [obj for s, obj in page if s is source])
    url = f"{base_url(request)}/{resource.name}"

    def link(at: int) -> str:
        return f"{url}?{urlencode({**params, '_count': count, '_offset': at}, doseq=True)}"

    links = {"self": link(offset)}
    if offset + count < total:
        links["next"] = link(offset + count)
    if offset > 0:
        links["previous"] = link(max(offset - count, 0))
    entries = [source.to_fhir(obj) for source, obj in page]
    return fhir_response(mappers.searchset(base_url(request), entries, total, links))


def _page_across(
    parts: list[tuple[ResourceType, Any]], offset: int, count: int
) -> tuple[list[tuple[ResourceType, Any]], int]:
    """One page over several sources' rows in turn, and the total across them."""
    page: list[tuple[ResourceType, Any]] = []
    total = 0
    for source, rows in parts:
        size = rows.count() if isinstance(rows, QuerySet) else len(rows)
        start = max(offset - total, 0)
        wanted = count - len(page)
        if wanted > 0 and start < size:
            page.extend((source, obj) for obj in rows[start : start + wanted])
        total += size
    return page, total


def create(request: HttpRequest, resource: ResourceType) -> HttpResponse:
    """Create a resource from a JSON body: 201 with Location, or an OperationOutcome."""
    if resource.create is None:
        return outcome(405, "not-supported", f"{resource.name} resources cannot be created here.")
    client = authenticate(request)
    client.check_scope(resource, "write")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return outcome(400, "invalid", "The body is not JSON.")
    if not isinstance(body, dict) or body.get("resourceType") != resource.name:
        return outcome(400, "invalid", f"The body must be a {resource.name} resource.")
    obj = resource.create(client, body, request)
    location = f"{base_url(request)}/{resource.name}/{resource.fhir_id(obj)}"
    return fhir_response(resource.to_fhir(obj), 201, Location=location)


def _paging(request: HttpRequest) -> tuple[int, int]:
    try:
        count = int(request.GET.get("_count", DEFAULT_PAGE_SIZE))
        offset = int(request.GET.get("_offset", 0))
    except ValueError as exc:
        raise SearchError("_count and _offset must be whole numbers") from exc
    if count < 1 or offset < 0:
        raise SearchError("_count must be at least 1 and _offset not negative")
    return min(count, MAX_PAGE_SIZE), offset
