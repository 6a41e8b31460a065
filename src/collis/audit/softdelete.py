"""Soft delete of clinical records (issue #12): the row stays, marked deleted with who and why.

A clinical record deleted by staff (a toxin session, a scale assessment, a posture analysis) is
kept with ``deleted_at``, ``deleted_by`` and ``deletion_reason``, and hidden from every normal
query: the model's default manager (``objects``) leaves deleted rows out, so the chart, the
timeline, summaries, FHIR and the patient's data export never see them. Rows that belong to a
deleted record (a session's injections, events, outcome) are hidden the same way with
``LiveChildManager``. ``all_objects`` (and Django's ``_base_manager``) still reach every row:
the administrator's admin lists, anonymisation and erasure use them.

``delete_record`` is the one writer: the clinic page, the admin and any other channel call it.
Every soft delete leaves an audit row (action ``delete``) with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.lib.errors import DomainError

REASON_MAX = 500


# Who may list and open soft-deleted records in the admin. ``audit`` sits below ``accounts``,
# which owns the roles, so accounts registers its ``is_administrator`` here in ready().
def _nobody(user: Any) -> bool:
    return False


_viewer: dict[str, Callable[[Any], bool]] = {"sees_deleted": _nobody}


def set_deleted_viewer(predicate: Callable[[Any], bool]) -> None:
    _viewer["sees_deleted"] = predicate


def sees_deleted(user: Any) -> bool:
    return bool(_viewer["sees_deleted"](user))


class DeletionError(DomainError):
    """A soft delete the rules refuse. Tree: ``DeletionReasonError``."""

    code: ClassVar[str] = "deletion"


class DeletionReasonError(DeletionError, ValueError):
    code: ClassVar[str] = "deletion_reason_required"

    def __init__(self) -> None:
        super().__init__("Give the reason for deleting this record.")


class LiveManager(models.Manager):
    """The default manager of a soft-deletable model: deleted rows are left out."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllRowsManager(models.Manager):
    """``all_objects``: every row, soft-deleted ones included (admin for administrators,
    anonymisation, erasure)."""


class LiveChildManager(models.Manager):
    """Default manager of rows that belong to a soft-deletable parent: the rows of a deleted
    parent are left out with it. Subclass it naming the foreign key in ``parent`` (a class
    attribute: Django builds related managers from the class with no arguments)."""

    parent: ClassVar[str] = ""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(**{f"{self.parent}__deleted_at__isnull": True})


class SoftDeletable(models.Model):
    """Abstract base: the three fields of a soft delete and the two managers."""

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    deletion_reason = models.TextField(blank=True, editable=False)

    objects = LiveManager()
    all_objects = AllRowsManager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def delete_record(
    request: HttpRequest | None,
    *,
    actor: Any,
    record: SoftDeletable,
    reason: str,
    via: str = "view",
) -> SoftDeletable:
    """Soft-delete ``record``: mark it deleted by ``actor`` with ``reason``, and audit it.

    The row is locked and kept; deleting a row that is already deleted changes nothing (the
    first reason stands) and is not audited again. Raises ``DeletionReasonError`` without a
    reason. ``via`` names the channel ("view", "admin", "api") in the audit row.
    """
    from collis.audit.actions import Action, record_access

    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise DeletionReasonError()
    model = type(record)
    with transaction.atomic():
        locked = model.all_objects.select_for_update().get(pk=record.pk)
        if locked.deleted_at is not None:
            return locked
        locked.deleted_at = timezone.now()
        locked.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.deletion_reason = reason
        locked.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
        record_access(
            request,
            Action.DELETE,
            locked,
            user=actor,
            detail={"via": via, "reason": reason, "soft": True},
        )
    return locked
