"""The audit trail for administrators: filter it, read it, export it (the export is audited).

The trail itself (``collis.audit``) sits at the bottom, under ``accounts``; this page needs the
administrator guard from ``accounts``, so it lives here with the other operations pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from collis.accounts.guards import staff_member_required
from collis.accounts.roles import Role
from collis.audit.actions import Action, record_access
from collis.audit.export import csv_lines, jsonl_lines
from collis.audit.forms import AuditFilterForm
from collis.audit.models import AuditEvent

PAGE_SIZE = 100
EXPORT_CHUNK = 2000
_FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "jsonl": ("application/x-ndjson; charset=utf-8", jsonl_lines),
}


@staff_member_required(role=Role.ADMINISTRATOR)
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_bound and form.is_valid():
        events = form.filter(events)
    elif form.is_bound:
        events = AuditEvent.objects.none()
    # Reading the trail is itself a security event: who looked at whose history.
    record_access(
        request,
        Action.READ,
        object_type="audit.AuditEvent",
        detail={"view": "list", "filters": request.GET.urlencode()[:200]},
    )
    context = {
        "form": form,
        "events": events[:PAGE_SIZE],
        "total": events.count(),
        "page_size": PAGE_SIZE,
        "query": request.GET.urlencode(),
    }
    return render(request, "audit/event_list.html", context)


@staff_member_required(role=Role.ADMINISTRATOR)
def event_export(request: HttpRequest, fmt: str) -> HttpResponse:
    content_type, serialise = _FORMATS[fmt]
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request, "audit/event_list.html", {"form": form, "events": [], "total": 0}, status=400
        )
    events = form.filter(AuditEvent.objects.all()).order_by("at", "pk")
    export = record_access(
        request,
        Action.EXPORT,
        object_type="audit.AuditEvent",
        detail={"format": fmt, "filters": form.active_filters(), "count": events.count()},
    )
    events = events.filter(pk__lt=export.pk)  # what was counted: not this entry or later ones
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(
        serialise(events.iterator(chunk_size=EXPORT_CHUNK)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="collis-audit-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
