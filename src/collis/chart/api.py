"""Clinical records API: delete a record entered in error (soft delete, issue #12).

The same action as the clinic page and the admin (``audit.softdelete.delete_record``): the row
is kept with who, when and why, hidden from every normal read, and audited (via ``api``).
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from collis.accounts.guards import StaffAuth
from collis.accounts.roles import Role
from collis.audit.softdelete import REASON_MAX, delete_record
from collis.chart.records import Kind, access_deletable
from collis.lib.problems import Problem

router = Router(tags=["clinical records"])


class DeleteIn(Schema):
    reason: str = Field(
        min_length=1,
        max_length=REASON_MAX,
        description="Why the record is deleted (kept in the audit trail).",
        examples=["Entered for the wrong patient"],
    )


class DeletedOut(Schema):
    kind: str
    id: int
    deleted_at: datetime


@router.post(
    "/records/{kind}/{record_id}/delete",
    response={200: DeletedOut, 403: Problem, 404: Problem, 422: Problem},
    auth=StaffAuth(Role.CLINICIAN),
    summary="Delete a clinical record entered in error (kept, hidden and audited)",
)
def delete_clinical_record(
    request: HttpRequest, kind: Kind, record_id: int, payload: DeleteIn
) -> dict:
    """Soft-delete a toxin session, scale assessment or posture analysis. 404 for a record
    that does not exist or is already deleted; 422 without a reason."""
    record, _ = access_deletable(request.user, kind, record_id)
    deleted = delete_record(
        request, actor=request.user, record=record, reason=payload.reason, via="api"
    )
    return {"kind": kind, "id": deleted.pk, "deleted_at": deleted.deleted_at}
