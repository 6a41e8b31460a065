"""Pure FHIR search-value parsing: date prefixes and references (no Django imports).

FHIR R4 §3.1.1.5.6 (search on dates): a value without a time denotes the whole day, and the
prefix compares that range with the resource's instant: ``ge2026-03-01`` matches anything from
the first moment of 1 March (in the clinic's zone), ``le2026-03-07`` anything before 8 March.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from collis.interop.fhir.errors import SearchError
from collis.lib.inputs import parse_aware_datetime, parse_date, parse_id

PREFIXES = ("eq", "ge", "gt", "le", "lt")


@dataclass(frozen=True)
class Bounds:
    """A half-open instant range ``[lower, upper)``; ``None`` is unbounded."""

    lower: datetime | None = None
    upper: datetime | None = None

    def narrowed(self, other: Bounds) -> Bounds:
        lower = max((b for b in (self.lower, other.lower) if b is not None), default=None)
        upper = min((b for b in (self.upper, other.upper) if b is not None), default=None)
        return Bounds(lower, upper)


def _value_range(text: str, zone: tzinfo) -> tuple[datetime, datetime]:
    """Return the instants a date or dateTime value covers: a whole local day, or one instant."""
    if len(text) == 10:
        day = parse_date(text)
        if day is None:
            raise SearchError(f"{text!r} is not a date (YYYY-MM-DD, years 1900 to 2200)")
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        return start, end
    instant = parse_aware_datetime(text)
    if (
        instant is None
        and text[10:11] == "T"
        and text[-6:-5] not in ("+", "-")
        and not text.endswith("Z")
    ):
        raise SearchError(f"{text!r} needs a UTC offset, e.g. 2026-03-02T09:00:00-06:00")
    if instant is None:
        raise SearchError(
            f"{text!r} is not a date or a date-time with a UTC offset "
            "(e.g. 2026-03-02T09:00:00-06:00, years 1900 to 2200)"
        )
    return instant, instant + timedelta(microseconds=1)


def date_bounds(value: str, zone: tzinfo) -> Bounds:
    """Parse ``[prefix]date`` into the instant range it selects (``eq`` when no prefix)."""
    prefix = value[:2] if value[:2] in PREFIXES else "eq"
    text = value[2:] if value[:2] in PREFIXES else value
    start, end = _value_range(text, zone)
    return {
        "eq": Bounds(start, end),
        "ge": Bounds(start, None),
        "gt": Bounds(end, None),
        "le": Bounds(None, end),
        "lt": Bounds(None, start),
    }[prefix]


_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


def reference_id(value: str, resource_type: str) -> str:
    """Return the id of ``Type/id`` (or a full URL ending so) or a bare ``id``.

    Raise SearchError for a reference to another type or a malformed id.
    """
    parts = value.split("/")
    kind = parts[-2] if len(parts) >= 2 else resource_type
    ref = parts[-1]
    if kind != resource_type or not _ID.fullmatch(ref):
        raise SearchError(f"{value!r} is not a reference to a {resource_type}")
    return ref


def numeric_reference(value: str, resource_type: str) -> int:
    ref = parse_id(reference_id(value, resource_type))
    if ref is None:
        raise SearchError(f"{value!r} is not a reference to a {resource_type}")
    return ref


def token_code(value: str) -> str:
    """FHIR token search: ``system|code`` or just ``code``."""
    return value.rpartition("|")[2]
