"""The RFC 9457 problem object every JSON error is sent as: its schema and its response.

Here at the bottom so that each app's router can declare ``Problem`` responses and build one
without importing the API that mounts it (``collis.api`` sits on the top floor).
"""

from __future__ import annotations

from typing import Any

from django import db
from django.http import HttpResponse, JsonResponse
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import ConfigDict

__all__ = [
    "DATABASE_RETRY_SECONDS",
    "DATABASE_UNAVAILABLE",
    "PROBLEM_CONTENT_TYPE",
    "Problem",
    "problem_response",
]

PROBLEM_CONTENT_TYPE = "application/problem+json"
# The errors of a database that cannot be reached (a restart, a failover): every channel answers
# them with 503 and this Retry-After, not 500. A PostgreSQL restart took ~2.5 s in
# bench/fault_test.py. Own choice.
DATABASE_UNAVAILABLE = (db.OperationalError, db.InterfaceError)
DATABASE_RETRY_SECONDS = 5


class Problem(Schema):
    """An error (``application/problem+json``): 404 missing or hidden, 403 forbidden,
    409 conflict, 422 invalid input (``detail`` then lists each invalid field)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"type": "about:blank", "title": "Not found", "status": 404},
                {
                    "type": "about:blank",
                    "title": "Invalid input",
                    "status": 422,
                    "detail": [
                        {
                            "type": "missing",
                            "loc": ["query", "date_from"],
                            "msg": "Field required",
                        }
                    ],
                },
            ]
        }
    )

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: Any | None = Field(None, description="More about the error; a list for 422 input")
    code: str | None = Field(
        None, description="A stable machine-readable code", examples=["slot_taken"]
    )


def problem_response(
    status: int,
    title: str,
    *,
    detail: object = None,
    code: str | None = None,
    **extra: object,
) -> HttpResponse:
    """Return an ``application/problem+json`` response; ``extra`` members follow the others."""
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    if code is not None:
        body["code"] = code
    body.update(extra)
    return JsonResponse(
        body, status=status, encoder=NinjaJSONEncoder, content_type=PROBLEM_CONTENT_TYPE
    )
