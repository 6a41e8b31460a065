"""FHIR REST shell: authenticate, check scope, query, page, map, audit, respond."""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any
from urllib.parse import urlencode

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
    visible,
)
from collis.interop.fhir.capability import capability_statement
from collis.interop.fhir.resources import REGISTRY, ResourceType, SearchError

FHIR_JSON = "application/fhir+json"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGING_PARAMS = {"_count", "_offset", "_format"}


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


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
        except SearchError as exc:
            return outcome(400, "invalid", str(exc))

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
            object_id=obj.pk,
            patient_id=resource.patient_id_of(obj),
            user=client.user,
            detail={"via": "fhir", "token": client.token.label if client.token else None},
        )


@_guarded
@require_GET
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    resource = _resource_or_404(resource_type)
    if isinstance(resource, HttpResponse):
        return resource
    client = authenticate(request)
    client.check_scope(resource, "read")
    obj = (
        visible(client, resource).filter(pk=resource_id).first() if resource_id.isdigit() else None
    )
    if obj is None:
        return outcome(404, "not-found", f"{resource_type}/{resource_id} is not known.")
    audit_fhir_read(request, client, resource, [obj])
    return fhir_response(resource.to_fhir(obj))


@_guarded
@require_GET
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    resource = _resource_or_404(resource_type)
    if isinstance(resource, HttpResponse):
        return resource
    client = authenticate(request)
    client.check_scope(resource, "read")
    qs = visible(client, resource)
    params = {k: v for k, v in request.GET.items() if k not in PAGING_PARAMS}
    for name, value in params.items():
        apply = resource.search.get(name)
        if apply is None:
            known = ", ".join(sorted(resource.search)) or "none"
            raise SearchError(
                f"Unknown search parameter {name!r} for {resource_type} (known: {known})."
            )
        qs = apply(qs, value)
    count, offset = _paging(request)
    qs = qs.order_by("pk")
    total = qs.count()
    page = list(qs[offset : offset + count])
    audit_fhir_read(request, client, resource, page)
    url = f"{base_url(request)}/{resource_type}"

    def link(at: int) -> str:
        return f"{url}?{urlencode({**params, '_count': count, '_offset': at})}"

    links = {"self": link(offset)}
    if offset + count < total:
        links["next"] = link(offset + count)
    if offset > 0:
        links["previous"] = link(max(offset - count, 0))
    entries = [resource.to_fhir(obj) for obj in page]
    return fhir_response(mappers.searchset(base_url(request), entries, total, links))


def _paging(request: HttpRequest) -> tuple[int, int]:
    try:
        count = int(request.GET.get("_count", DEFAULT_PAGE_SIZE))
        offset = int(request.GET.get("_offset", 0))
    except ValueError as exc:
        raise SearchError("_count and _offset must be whole numbers") from exc
    if count < 1 or offset < 0:
        raise SearchError("_count must be at least 1 and _offset not negative")
    return min(count, MAX_PAGE_SIZE), offset
