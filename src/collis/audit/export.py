"""Serialise audit events for export: CSV (spreadsheet-safe) and JSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from collis.audit.models import AuditEvent

COLUMNS = [
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "ip_address",
    "user_agent",
    "path",
    "detail",
]
# A cell starting with one of these is a formula to Excel or LibreOffice (CSV injection); some
# values, like the username typed at a failed sign-in, come straight from strangers.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def event_as_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "patient_id": event.patient_id,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "path": event.path,
        "detail": event.detail,
    }


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    writer.writerow(COLUMNS)
    yield flush()
    for event in events:
        row = event_as_dict(event)
        row["detail"] = json.dumps(row["detail"], sort_keys=True)
        writer.writerow([spreadsheet_safe(row[column]) for column in COLUMNS])
        yield flush()


def jsonl_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    for event in events:
        yield json.dumps(event_as_dict(event), sort_keys=True, ensure_ascii=False) + "\n"
