"""FHIR REST shell: negotiate, authenticate, check scope, query, page, map, version, respond.

Every answer is FHIR JSON; every error, including 404 for unknown paths, 405 for unsupported
methods and 406 for XML, is an OperationOutcome (``fhir_view`` turns typed errors into one, in
one place).

Search follows FHIR R4 §3.1.1: unknown parameters and unsupported modifiers or result
parameters are ignored (and left out of the ``self`` link) unless the client sends
``Prefer: handling=strict``, which makes them a 400. Supported on every type: ``_id``,
``_lastUpdated``, ``_sort`` (``_id`` and each type's date/name keys), ``_summary=count``,
``_total``, ``_include``/``_revinclude`` over the references served, ``_count``/``_offset``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib.metadata import version
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from collis.audit.actions import Action, record_access
from collis.interop.fhir import mappers, versions
from collis.interop.fhir.access import (
    FhirAuthError,
    FhirClient,
    FhirForbiddenError,
    authenticate,
    require_reader,
    visible,
)
from collis.interop.fhir.capability import capability_statement
from collis.interop.fhir.errors import FhirError, NotFoundError, SearchError
from collis.interop.fhir.resources import REGISTRY, ResourceType, SearchParam
from collis.interop.fhir.search import instant_range, parse_date
from collis.scheduling.availability import clinic_zone

FHIR_JSON = "application/fhir+json"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_INCLUDED = 500  # _include/_revinclude resources added to one page, at most
LAST_UPDATED_LIMIT = 2000  # rows a _lastUpdated search may look at before asking to narrow
# Result parameters: handled, or (``_pretty``, ``_elements``) harmless to ignore.
RESULT_PARAMS = {
    "_count",
    "_offset",
    "_format",
    "_sort",
    "_summary",
    "_total",
    "_include",
    "_revinclude",
    "_pretty",
    "_elements",
}
SUMMARY_VALUES = {"count", "false"}
TOTAL_VALUES = {"none", "estimate", "accurate"}
# What a reference search parameter may point at, for _include (``Type:param[:Target]``).
REFERENCE_TARGETS: dict[str, tuple[str, ...]] = {
    "patient": ("Patient",),
    "subject": ("Patient",),
    "practitioner": ("Practitioner",),
    "performer": ("Practitioner",),
    "actor": ("Practitioner", "Location", "Patient"),
    "location": ("Location",),
    "organization": ("Organization",),
    "schedule": ("Schedule",),
    "slot": ("Slot",),
    "part-of": ("Procedure",),
    "encounter": ("Encounter",),
    "condition": ("Condition",),
    "reason-reference": ("Condition",),
}


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(status: int, code: str, diagnostics: str, **headers: str) -> HttpResponse:
    severity = "error" if status < 500 else "fatal"
    if status == 401:
        headers.setdefault("WWW_Authenticate", 'Bearer realm="collis-fhir"')
    return fhir_response(mappers.operation_outcome(severity, code, diagnostics), status, **headers)


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir").rstrip("/")


def _wants_xml(request: HttpRequest) -> bool:
    """``_format`` (which wins) or ``Accept`` asks for XML and accepts no JSON."""
    fmt = request.GET.get("_format", "").lower()
    if fmt:
        return "xml" in fmt
    accept = [p.split(";")[0].strip().lower() for p in request.headers.get("Accept", "").split(",")]
    accept = [a for a in accept if a]
    json_ok = not accept or any("json" in a or a in ("*/*", "application/*") for a in accept)
    return not json_ok and any("xml" in a for a in accept)


def fhir_view(*methods: str):
    """Wrap a FHIR view: 406 for XML, 405 for other methods (HEAD answers as GET without a
    body), and every typed error as an OperationOutcome."""
    allowed = set(methods)
    if "GET" in allowed:
        allowed.add("HEAD")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if allowed and request.method not in allowed:
                return outcome(
                    405,
                    "not-supported",
                    f"{request.method} is not supported here.",
                    Allow=", ".join(sorted(allowed)),
                )
            if _wants_xml(request):
                return outcome(406, "not-supported", "This server speaks FHIR JSON only.")
            try:
                response = view(request, *args, **kwargs)
            except FhirAuthError as exc:
                response = outcome(401, "login", str(exc))
            except FhirForbiddenError as exc:
                response = outcome(403, "forbidden", str(exc))
            except FhirError as exc:
                response = outcome(exc.status, exc.code, str(exc))
            if request.method == "HEAD":
                response.content = b""
            return response

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return csrf_exempt(wrapper)

    return decorate


# Kept for modules that wrap views without naming methods (every method reaches the view).
_guarded = fhir_view()


def _resource(resource_type: str) -> ResourceType:
    resource = REGISTRY.get(resource_type)
    if resource is None:
        raise NotFoundError(f"Resource type {resource_type!r} is not supported.")
    return resource


@fhir_view("GET")
def metadata(request: HttpRequest) -> HttpResponse:
    statement = capability_statement(
        base_url(request), version("collis"), timezone.now().date().isoformat()
    )
    return fhir_response(statement)


@fhir_view()
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise NotFoundError(f"No FHIR endpoint at /fhir/{rest}.")


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


def _current(
    request: HttpRequest, resource_type: str, resource_id: str
) -> tuple[FhirClient, ResourceType, Any, dict[str, Any]]:
    """Authenticate and return the resource as it is now, stamped with its version."""
    resource = _resource(resource_type)
    client = authenticate(request)
    client.check_scope(resource, "read")
    source = resource.source_of(resource_id)
    obj = None if source is None else _read_one(client, source, resource_id)
    if obj is None:
        raise NotFoundError(f"{resource_type}/{resource_id} is not known.")
    return client, source, obj, versions.stamp([source.to_fhir(obj)])[0]


def _versioned(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    return fhir_response(
        body,
        status,
        ETag=versions.etag(body),
        Last_Modified=versions.last_modified(body),
        **headers,
    )


@fhir_view("GET")
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    client, source, obj, body = _current(request, resource_type, resource_id)
    audit_fhir_read(request, client, source, [obj])
    if versions.not_modified(request.headers, body):
        response = HttpResponse(status=304)
        response["ETag"] = versions.etag(body)
        response["Last-Modified"] = versions.last_modified(body)
        return response
    return _versioned(body)


@fhir_view("GET")
def vread(
    request: HttpRequest, resource_type: str, resource_id: str, version_id: str
) -> HttpResponse:
    client, source, obj, _ = _current(request, resource_type, resource_id)
    audit_fhir_read(request, client, source, [obj])
    for row in versions.history(source.name, resource_id):
        if str(row.version) == version_id:
            return _versioned(versions.version_body(row))
    raise NotFoundError(f"{resource_type}/{resource_id} has no version {version_id!r}.")


@fhir_view("GET")
def history(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    client, source, obj, _ = _current(request, resource_type, resource_id)
    audit_fhir_read(request, client, source, [obj])
    rows = versions.history(source.name, resource_id)
    url = f"{base_url(request)}/{resource_type}/{resource_id}"
    entries = []
    for row in rows:
        body = versions.version_body(row)
        entries.append(
            {
                "fullUrl": url,
                "resource": body,
                "request": {
                    "method": "POST" if row.version == 1 else "PUT",
                    "url": f"{resource_type}/{resource_id}",
                },
                "response": {
                    "status": "201" if row.version == 1 else "200",
                    "etag": versions.etag(body),
                    "lastModified": body["meta"]["lastUpdated"],
                },
            }
        )
    return fhir_response(mappers.history(entries, f"{url}/_history"))


@fhir_view("GET", "POST")
def type_endpoint(request: HttpRequest, resource_type: str) -> HttpResponse:
    """``GET /fhir/<type>`` searches; ``POST /fhir/<type>`` creates (where supported)."""
    resource = _resource(resource_type)
    if request.method == "POST":
        return create(request, resource)
    return search(request, resource, dict(request.GET.lists()))


@fhir_view("POST")
def search_post(request: HttpRequest, resource_type: str) -> HttpResponse:
    """``POST /fhir/<type>/_search``: the parameters in a form-encoded body (and the URL)."""
    resource = _resource(resource_type)
    content_type = request.content_type or ""
    if request.body and content_type != "application/x-www-form-urlencoded":
        raise SearchError("POST _search takes an application/x-www-form-urlencoded body.")
    params = dict(request.GET.lists())
    for name, values in request.POST.lists():
        params.setdefault(name, []).extend(values)
    return search(request, resource, params)


# --- search -----------------------------------------------------------------------------------


@dataclass
class Query:
    filters: dict[str, list[str]] = field(default_factory=dict)
    ids: list[list[str]] = field(default_factory=list)  # each _id: a comma list (OR); ANDed
    last_updated: list[str] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (key, descending)
    count_only: bool = False
    include: list[str] = field(default_factory=list)
    revinclude: list[str] = field(default_factory=list)
    echo: dict[str, list[str]] = field(default_factory=dict)  # parameters used, for links


def strict_handling(request: HttpRequest) -> bool:
    prefer = request.headers.get("Prefer", "")
    return any(p.strip().lower() == "handling=strict" for p in prefer.split(";"))


def _sortable(resource: ResourceType, key: str) -> bool:
    return key == "_id" or all(
        key in source.sort and source.virtual is None for source in resource.sources()
    )


def parse_query(resource: ResourceType, params: dict[str, list[str]], strict: bool) -> Query:
    query = Query()

    def refuse(message: str) -> None:
        if strict:
            raise SearchError(message + " (Prefer: handling=strict)")

    for name, raw_values in params.items():
        values = [v for v in raw_values if v != ""]
        if not values:
            continue
        used = True
        if name in ("_count", "_offset", "_format", "_pretty", "_elements"):
            used = name in ("_count", "_offset")
            if name == "_count" and values[-1] == "0":
                query.count_only = True  # FHIR: _count=0 asks for the total alone
        elif name == "_id":
            query.ids.extend(v.split(",") for v in values)
        elif name == "_lastUpdated":
            query.last_updated.extend(values)
        elif name == "_summary":
            if values[-1] == "count":
                query.count_only = True
            elif values[-1] not in SUMMARY_VALUES:
                refuse(f"_summary={values[-1]} is not supported (count, false).")
                used = False
        elif name == "_total":
            if values[-1] not in TOTAL_VALUES:
                refuse(f"_total={values[-1]} is not a _total value.")
            used = values[-1] in TOTAL_VALUES
        elif name == "_sort":
            for key in ",".join(values).split(","):
                descending = key.startswith("-")
                if _sortable(resource, key.removeprefix("-")):
                    query.sort.append((key.removeprefix("-"), descending))
                else:
                    refuse(f"_sort by {key!r} is not supported for {resource.name}.")
            used = bool(query.sort)
            if used:
                values = [",".join(("-" if d else "") + k for k, d in query.sort)]
        elif name in ("_include", "_revinclude"):
            kept = [v for v in values if _includable(resource, name, v)]
            for value in set(values) - set(kept):
                refuse(f"{name}={value} is not supported for {resource.name}.")
            (query.include if name == "_include" else query.revinclude).extend(kept)
            values, used = kept, bool(kept)
        elif any(name in source.search for source in resource.sources()):
            query.filters[name] = values
        else:
            base, _, modifier = name.partition(":")
            if base in resource.search:
                refuse(f"The modifier :{modifier} is not supported on {base!r}.")
            else:
                known = ", ".join(sorted(resource.search)) or "none"
                refuse(f"Unknown search parameter {name!r} for {resource.name} (known: {known}).")
            used = False
        if used:
            query.echo[name] = values
    return query


def _includable(resource: ResourceType, name: str, value: str) -> bool:
    parts = value.split(":")
    if len(parts) not in (2, 3) or parts[1] not in REFERENCE_TARGETS:
        return False
    if name == "_include":
        return parts[0] == resource.name and parts[1] in resource.search
    other = REGISTRY.get(parts[0])
    if other is None or parts[1] not in other.search:
        return False
    targets = REFERENCE_TARGETS[parts[1]] if len(parts) == 2 else (parts[2],)
    return resource.name in targets


def _apply(param: SearchParam, qs: QuerySet, value: str) -> QuerySet:
    """One parameter value; a comma list ORs its parts."""
    parts = value.split(",")
    if len(parts) == 1 or param.type == "date":
        return param.apply(qs, value)
    either = Q()
    for part in parts:
        either |= Q(pk__in=param.apply(qs, part).values("pk"))
    return qs.filter(either)


def matching(client: FhirClient, resource: ResourceType, query: Query):
    """Rows of one source matching ``query``: an ordered queryset, or a list (virtual)."""
    if resource.virtual is not None:
        require_reader(client, resource)
        rows = resource.virtual.find(query.filters)
        for ids in query.ids:
            rows = [r for r in rows if r.fhir_id in ids]
        return rows
    qs = visible(client, resource)
    for name, values in query.filters.items():
        if name not in resource.search:
            return qs.none()  # a table of a multi-table type that cannot carry this element
        for value in values:
            qs = _apply(resource.search[name], qs, value)
    for ids in query.ids:
        qs = qs.filter(pk__in=[pk for pk in map(resource.pk_of, ids) if pk is not None])
    order = [
        ("-" if desc else "") + ("pk" if key == "_id" else resource.sort[key])
        for key, desc in query.sort
    ]
    return qs.order_by(*order, "pk")


def _sort_value(resource: ResourceType, obj: Any, key: str) -> Any:
    if key == "_id":
        return (resource.id_prefix, obj.pk)
    value = obj
    for step in resource.sort[key].split("__"):
        value = getattr(value, step) if value is not None else None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=clinic_zone())
    return (value is None, value)


def _page(
    parts: list[tuple[ResourceType, Any]], offset: int, count: int, sort: list[tuple[str, bool]]
) -> tuple[list[tuple[ResourceType, Any]], int]:
    """One page over several sources' rows, and the total across them.

    Unsorted, sources follow one another; sorted, the first ``offset + count`` rows of each
    (each sorted by the database) are merged in Python, so the page is right across sources.
    """
    page: list[tuple[ResourceType, Any]] = []
    total = 0
    if sort and len(parts) > 1:
        merged = []
        for source, rows in parts:
            total += rows.count() if isinstance(rows, QuerySet) else len(rows)
            merged.extend((source, obj) for obj in rows[: offset + count])
        for key, descending in reversed(sort):
            merged.sort(
                key=lambda pair, k=key: _sort_value(pair[0], pair[1], k), reverse=descending
            )
        return merged[offset : offset + count], total
    for source, rows in parts:
        size = rows.count() if isinstance(rows, QuerySet) else len(rows)
        start = max(offset - total, 0)
        wanted = count - len(page)
        if wanted > 0 and start < size:
            page.extend((source, obj) for obj in rows[start : start + wanted])
        total += size
    return page, total


def _updated_within(
    parts: list[tuple[ResourceType, Any]], values: list[str]
) -> list[tuple[ResourceType, list]]:
    """Filter each source's rows by ``meta.lastUpdated`` (which needs each row's version)."""
    zone, now = clinic_zone(), timezone.now()
    ranges = [instant_range(parse_date(v, zone), now) for v in values]
    seen = 0
    kept = []
    for source, rows in parts:
        rows = list(rows[: LAST_UPDATED_LIMIT + 1 - seen])
        seen += len(rows)
        if seen > LAST_UPDATED_LIMIT:
            raise SearchError(
                f"_lastUpdated looks at each match's version: narrow the search to at most "
                f"{LAST_UPDATED_LIMIT} matches first."
            )
        stamped = versions.stamp([source.to_fhir(obj) for obj in rows])
        chosen = []
        for obj, body in zip(rows, stamped, strict=True):
            at = datetime.fromisoformat(body["meta"]["lastUpdated"].replace("Z", "+00:00"))
            if all(_within(at, r) for r in ranges):
                chosen.append(obj)
        kept.append((source, chosen))
    return kept


def _within(at: datetime, found: Any) -> bool:
    inside = (found.lower is None or at >= found.lower) and (
        found.upper is None or at < found.upper
    )
    return not inside if found.negate else inside


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        for value in node.values():
            found.extend(_references(value))
        return found
    if isinstance(node, list):
        return [ref for item in node for ref in _references(item)]
    return []


def _readable(client: FhirClient, kind: ResourceType) -> bool:
    try:
        client.check_scope(kind, "read")
        require_reader(client, kind)
    except FhirForbiddenError:
        return False
    return True


def _included(
    client: FhirClient, resource: ResourceType, query: Query, page: list[tuple[ResourceType, Any]]
) -> list[tuple[ResourceType, Any]]:
    """Resources named by ``_include`` (references of the matches) and ``_revinclude``
    (resources referring to the matches) that this client may read."""
    found: list[tuple[ResourceType, Any]] = []
    seen = {(resource.name, source.fhir_id(obj)) for source, obj in page}
    bodies = [source.to_fhir(obj) for source, obj in page] if query.include else []
    for spec in query.include:
        _, param, *target = spec.split(":")
        targets = tuple(target) or REFERENCE_TARGETS[param]
        for ref in (r for body in bodies for r in _references(body)):
            kind_name, _, ref_id = ref.rpartition("/")
            kind_name = kind_name.rpartition("/")[2]
            kind = REGISTRY.get(kind_name)
            if kind is None or kind_name not in targets or (kind_name, ref_id) in seen:
                continue
            seen.add((kind_name, ref_id))
            source = kind.source_of(ref_id)
            if source is None or not _readable(client, kind) or len(found) >= MAX_INCLUDED:
                continue
            obj = _read_one(client, source, ref_id)
            if obj is not None:
                found.append((source, obj))
    for spec in query.revinclude:
        kind_name, param, *_ = spec.split(":")
        kind = REGISTRY[kind_name]
        if not _readable(client, kind):
            continue
        for source_of_match, obj in page:
            ref = f"{resource.name}/{source_of_match.fhir_id(obj)}"
            for source in kind.sources():
                try:
                    rows = matching(client, source, Query(filters={param: [ref]}))
                except SearchError:
                    continue
                for row in rows[: MAX_INCLUDED - len(found)]:
                    key = (kind.name, source.fhir_id(row))
                    if key not in seen:
                        seen.add(key)
                        found.append((source, row))
    return found


def search(
    request: HttpRequest, resource: ResourceType, params: dict[str, list[str]]
) -> HttpResponse:
    client = authenticate(request)
    client.check_scope(resource, "read")
    query = parse_query(resource, params, strict_handling(request))
    count, offset = _paging(params)
    parts = [(source, matching(client, source, query)) for source in resource.sources()]
    if query.last_updated:
        parts = _updated_within(parts, query.last_updated)
    url = f"{base_url(request)}/{resource.name}"
    if query.count_only:
        total = sum(r.count() if isinstance(r, QuerySet) else len(r) for _, r in parts)
        self_link = f"{url}?{urlencode(query.echo, doseq=True)}"
        return fhir_response(mappers.searchset(base_url(request), [], total, {"self": self_link}))
    page, total = _page(parts, offset, count, query.sort)
    included = _included(client, resource, query, page)
    sources = list({id(s): s for s, _ in page + included}.values())
    for source in sources:
        audit_fhir_read(request, client, source, [o for s, o in page + included if s is source])

    def link(at: int) -> str:
        return f"{url}?{urlencode({**query.echo, '_count': count, '_offset': at}, doseq=True)}"

    links = {"self": link(offset)}
    if offset + count < total:
        links["next"] = link(offset + count)
    if offset > 0:
        links["previous"] = link(max(offset - count, 0))
    entries = versions.stamp([source.to_fhir(obj) for source, obj in page])
    extra = versions.stamp([source.to_fhir(obj) for source, obj in included])
    return fhir_response(mappers.searchset(base_url(request), entries, total, links, extra))


def create(request: HttpRequest, resource: ResourceType) -> HttpResponse:
    """Create a resource from a JSON body: 201 with Location, or an OperationOutcome."""
    if resource.create is None:
        return outcome(
            405,
            "not-supported",
            f"{resource.name} resources cannot be created here.",
            Allow="GET, HEAD",
        )
    client = authenticate(request)
    client.check_scope(resource, "write")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return outcome(400, "invalid", "The body is not JSON.")
    if not isinstance(body, dict) or body.get("resourceType") != resource.name:
        return outcome(400, "invalid", f"The body must be a {resource.name} resource.")
    obj = resource.create(client, body, request)
    created = versions.stamp([resource.to_fhir(obj)])[0]
    version_id = created["meta"]["versionId"]
    location = f"{base_url(request)}/{resource.name}/{created['id']}/_history/{version_id}"
    return _versioned(created, 201, Location=location)


def _paging(params: dict[str, list[str]]) -> tuple[int, int]:
    try:
        count = int((params.get("_count") or [DEFAULT_PAGE_SIZE])[-1])
        offset = int((params.get("_offset") or [0])[-1])
    except ValueError as exc:
        raise SearchError("_count and _offset must be whole numbers") from exc
    if count < 0 or offset < 0:
        raise SearchError("_count and _offset must not be negative")
    return max(1, min(count, MAX_PAGE_SIZE)), offset
