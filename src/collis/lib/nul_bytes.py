"""Refuse requests whose path or query string carries a NUL character.

No real input has one, PostgreSQL cannot store one (it raises, which would be a 500), and
SQLite would store it silently. One check at the door answers 400 in the channel's own error
format instead of each view learning about NUL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse

from collis.lib.problems import problem_response

__all__ = ["RejectNulBytesMiddleware"]

_DETAIL = "The request contains a NUL character, which is never valid input."


def _has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path or "\x00" in unquote(query)


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _has_nul(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return problem_response(400, "Bad request", detail=_DETAIL, code="nul_character")
        if request.path.startswith("/fhir/"):
            outcome = {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "invalid", "diagnostics": _DETAIL}],
            }
            return HttpResponse(
                json.dumps(outcome), status=400, content_type="application/fhir+json"
            )
        raise SuspiciousOperation(_DETAIL)  # Django answers with the site's 400 page
