"""The base of every app's error tree: a stable code, the HTTP status it becomes, a safe message.

Each app's ``errors.py`` roots its tree in ``DomainError``. Errors become HTTP once, at the
edge: the JSON API's handler (``api/api.py``) renders problem JSON from ``http_status`` and
``code``; FHIR renders an OperationOutcome (``interop/fhir``); htmx views re-render their form
with the message. Pure: no Django imports.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["DomainError"]


class DomainError(Exception):
    """A rule of the clinic said no. ``str(exc)`` is safe to show the person who asked."""

    code: ClassVar[str] = "error"
    # 422: the request is well-formed but breaks a rule; 409 when it conflicts with the current
    # state (a taken slot, a closed window); 404/403 stay Http404/PermissionDenied.
    http_status: ClassVar[int] = 422

    @property
    def user_message(self) -> str:
        return str(self)
