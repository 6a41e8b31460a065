"""Schemas shared by every router: the RFC 9457 problem object all errors are sent as."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


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
