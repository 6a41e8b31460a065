"""Every delete of health data leaves an audit row, whatever deleted it (admin, cascade, code).

A ``pre_delete`` receiver watches the models in ``HEALTH_DATA``. Django sends ``pre_delete``
for each cascaded row too (a connected receiver disables the fast-delete path), so deleting a
patient leaves one row per visit, diary entry or session it took with it. Who deleted and why
come from the ``deleting(actor=..., reason=...)`` context; without one the row says "system".
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest

# Model labels (strings: audit sits below the apps that define them) holding health data.
HEALTH_DATA: frozenset[str] = frozenset(
    {
        "patients.Patient",
        "patients.Diagnosis",
        "patients.Visit",
        "scales.Assessment",
        "injections.InjectionSession",
        "injections.Injection",
        "injections.AdverseEvent",
        "injections.CycleReport",
        "diary.DiaryEntry",
        "diary.HomeProgramme",
        "diary.ProgrammeItem",
        "diary.AdherenceCheck",
        "recordings.PostureRecording",
        "scheduling.Appointment",
        "scheduling.WaitlistEntry",
        "scheduling.InjectionRecall",
    }
)
# Identity is not copied into the append-only trail (anonymisation could never remove it).
_NO_SNAPSHOT = frozenset({"patients.Patient"})


@dataclass(frozen=True)
class DeletionContext:
    actor: Any
    reason: str
    request: HttpRequest | None
    via: str


_context: ContextVar[DeletionContext | None] = ContextVar("collis_deletion", default=None)


@contextlib.contextmanager
def deleting(
    *, actor: Any, reason: str, request: HttpRequest | None = None, via: str = "code"
) -> Iterator[None]:
    """Attribute the deletes inside the block to ``actor``, with ``reason``."""
    token = _context.set(DeletionContext(actor, reason.strip(), request, via))
    try:
        yield
    finally:
        _context.reset(token)


def snapshot(instance: models.Model) -> dict[str, Any] | None:
    """The row's field values as plain JSON, so a wrong delete can be traced and undone."""
    if instance._meta.label in _NO_SNAPSHOT:
        return None
    values = model_to_dict(instance, fields=[f.name for f in instance._meta.concrete_fields])
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder, default=str))


def audit_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender._meta.label not in HEALTH_DATA:
        return
    from collis.audit.actions import Action, record_access

    context = _context.get()
    detail: dict[str, Any] = {"via": context.via if context else "system"}
    if context is not None and context.reason:
        detail["reason"] = context.reason
    copy = snapshot(instance)
    if copy is not None:
        detail["snapshot"] = copy
    record_access(
        context.request if context else None,
        Action.DELETE,
        instance,
        user=context.actor if context else None,
        detail=detail,
    )
