"""The one way to write the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from collis.audit.models import AuditEvent

Action = AuditEvent.Action


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    request: HttpRequest | None,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    patient_id: int | None = None,
    user: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event for ``obj`` (or an explicit type/id) done by the request's user."""
    actor = user if user is not None else getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = obj.pk if object_id is None else object_id
        if patient_id is None:
            patient_id = getattr(obj, "patient_id", None)
            if patient_id is None and obj._meta.label == "patients.Patient":
                patient_id = obj.pk
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "anonymous",
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        patient_id=patient_id,
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
        path=(request.get_full_path()[:300] if request is not None else ""),
        detail=detail or {},
    )
