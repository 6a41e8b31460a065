"""Clinical records a clinician may delete as entered in error (soft delete, issue #12).

One table for every channel: the clinic page (``chart.views.record_delete``) and the JSON API
(``chart.api``) both look the kind up here, load the record with its reader's access check,
and call ``collis.audit.softdelete.delete_record``; the admin calls the same action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.http import Http404

from collis.injections.access import access_session
from collis.recordings.access import access_recording
from collis.scales.access import access_assessment

Kind = Literal["injection-session", "assessment", "posture-analysis"]

# kind (as in the URL) -> (guarded loader, what people call it)
DELETABLE: dict[str, tuple[Callable[[Any, int], Any], str]] = {
    "injection-session": (access_session, "toxin injection session"),
    "assessment": (access_assessment, "scale assessment"),
    "posture-analysis": (access_recording, "posture analysis"),
}


def access_deletable(user: Any, kind: str, record_id: int) -> tuple[Any, str]:
    """The record of ``kind`` for a reader who may open it (its own access rules), with its
    label; 404 for an unknown kind or a missing (or already deleted) record."""
    found = DELETABLE.get(kind)
    if found is None:
        raise Http404("No such kind of record.")
    access, label = found
    return access(user, record_id), label
