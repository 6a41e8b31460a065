"""Pure FHIR search-value parsing: dates, tokens and references (no Django imports).

Dates (FHIR R4 §3.1.1.5.6, "date"): a search value has a precision — ``2026``, ``2026-03``,
``2026-03-02``, ``2026-03-02T09:00``, with seconds or fractions — and so denotes a range: the
whole year, month, day (in the clinic's zone when no offset is given) or minute. A prefix
(``eq ne gt lt ge le sa eb ap``) compares that range with the range of the resource's value:

* an instant stored in the database (an appointment's start) is a point;
* a date stored in the database (a birth date, the day of an injection) is that local day.

``instant_range`` and ``day_range`` turn a parsed value into the half-open range of stored values
that match, in the field's own terms, so views can filter with two comparisons (or exclude them,
for ``ne``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from collis.interop.fhir.errors import SearchError
from collis.lib.inputs import parse_id

PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")

_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@dataclass(frozen=True)
class Bounds:
    """A half-open instant range ``[lower, upper)``; ``None`` is unbounded."""

    lower: datetime | None = None
    upper: datetime | None = None

    def narrowed(self, other: Bounds) -> Bounds:
        lower = max((b for b in (self.lower, other.lower) if b is not None), default=None)
        upper = min((b for b in (self.upper, other.upper) if b is not None), default=None)
        return Bounds(lower, upper)


@dataclass(frozen=True)
class DateValue:
    """A parsed ``[prefix]value``: the prefix and the instant range ``[start, end)`` it names."""

    prefix: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Match:
    """Stored values that match: ``lower <= v < upper`` (``None`` unbounded), or its complement."""

    lower: object | None
    upper: object | None
    negate: bool = False


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_date(value: str, zone: tzinfo) -> DateValue:
    """Parse ``[prefix]date|dateTime`` at any FHIR precision; raise SearchError if malformed.

    A value without an offset is read in ``zone`` (the clinic's), as FHIR allows for servers.
    """
    prefix = value[:2] if value[:2] in PREFIXES else "eq"
    text = value[2:] if value[:2] in PREFIXES else value
    match = _DATE.match(text)
    if match is None:
        raise SearchError(f"{text!r} is not a FHIR date or dateTime (e.g. 2026, 2026-03-02)")
    g = match.groupdict()
    # Years near the calendar's ends overflow as soon as a day or an offset is added (#12.9).
    if not 1900 <= int(text[:4]) <= 2200:
        raise SearchError(f"{text!r} is outside the years 1900 to 2200")
    try:
        if g["month"] is None:
            first = date(int(g["year"]), 1, 1)
            start_day, end_day = first, date(first.year + 1, 1, 1)
        elif g["day"] is None:
            first = date(int(g["year"]), int(g["month"]), 1)
            start_day, end_day = first, _add_months(first, 1)
        elif g["hour"] is None:
            start_day = date(int(g["year"]), int(g["month"]), int(g["day"]))
            end_day = start_day + timedelta(days=1)
        else:
            start_day = end_day = None
        if start_day is not None:
            return DateValue(
                prefix,
                datetime.combine(start_day, time(0), tzinfo=zone),
                datetime.combine(end_day, time(0), tzinfo=zone),
            )
        fraction = g["fraction"] or ""
        instant = datetime(
            int(g["year"]),
            int(g["month"]),
            int(g["day"]),
            int(g["hour"]),
            int(g["minute"]),
            int(g["second"] or 0),
            int((fraction + "000000")[:6]),
        )
    except ValueError as exc:
        raise SearchError(f"{text!r} is not a date that exists") from exc
    if g["zone"] is None:
        instant = instant.replace(tzinfo=zone)
    else:
        instant = datetime.fromisoformat(instant.isoformat() + g["zone"].replace("Z", "+00:00"))
    if g["second"] is None:
        step = timedelta(minutes=1)
    elif not fraction:
        step = timedelta(seconds=1)
    else:
        step = timedelta(microseconds=max(1, 10 ** (6 - min(len(fraction), 6))))
    return DateValue(prefix, instant, instant + step)


def _approximately(value: DateValue, now: datetime) -> tuple[datetime, datetime]:
    """``ap``: the value's range widened by 10% of its distance from now (FHIR's suggestion),
    and by at least a day."""
    gap = max(abs(now - value.start), abs(now - value.end)) / 10
    margin = max(gap, timedelta(days=1))
    return value.start - margin, value.end + margin


def instant_range(value: DateValue, now: datetime) -> Match:
    """Which stored instants match ``value`` (a stored instant is a point in time)."""
    s, e = value.start, value.end
    if value.prefix == "ap":
        s, e = _approximately(value, now)
        return Match(s, e)
    return {
        "eq": Match(s, e),
        "ne": Match(s, e, negate=True),
        "ge": Match(s, None),
        "gt": Match(e, None),
        "sa": Match(e, None),
        "le": Match(None, e),
        "lt": Match(None, s),
        "eb": Match(None, s),
    }[value.prefix]


def _floor_day(instant: datetime, zone: tzinfo) -> date:
    """The local day containing ``instant``."""
    return instant.astimezone(zone).date()


def _ceil_day(instant: datetime, zone: tzinfo) -> date:
    """The first local day that starts at or after ``instant``."""
    local = instant.astimezone(zone)
    return local.date() + (timedelta(days=1) if local.time() != time(0) else timedelta(0))


def day_range(value: DateValue, zone: tzinfo, now: datetime) -> Match:
    """Which stored dates match ``value`` (a stored date is its whole local day).

    eq: the day lies inside the searched range; gt/lt: the day reaches past its end/start;
    ge/le: gt/lt or overlapping; sa/eb: the day starts after it ends / ends before it starts.
    """
    s, e = value.start, value.end
    if value.prefix == "ap":
        s, e = _approximately(value, now)
        return Match(_floor_day(s, zone), _ceil_day(e, zone))
    inside = Match(_ceil_day(s, zone), _floor_day(e, zone))
    return {
        "eq": inside,
        "ne": Match(inside.lower, inside.upper, negate=True),
        "ge": Match(_floor_day(s, zone), None),
        "gt": Match(_floor_day(e, zone), None),
        "sa": Match(_ceil_day(e, zone), None),
        "le": Match(None, _ceil_day(e, zone)),
        "lt": Match(None, _ceil_day(s, zone)),
        "eb": Match(None, _floor_day(s, zone)),
    }[value.prefix]


def date_bounds(value: str, zone: tzinfo) -> Bounds:
    """Parse ``[prefix]date`` into the instant range it selects, for searches over computed
    instants (free Slots). ``ne`` and ``ap`` cannot narrow a range and raise SearchError."""
    parsed = parse_date(value, zone)
    if parsed.prefix in ("ne", "ap"):
        raise SearchError(f"The {parsed.prefix!r} prefix is not supported on this parameter.")
    found = instant_range(parsed, parsed.start)
    return Bounds(found.lower, found.upper)


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
    ref = parse_id(reference_id(value, resource_type))  # ASCII digits that fit a bigint
    if ref is None:
        raise SearchError(f"{value!r} is not a reference to a {resource_type}")
    return ref


class NoMatch(Exception):
    """A token whose system is not the one the element uses: nothing can match."""


def token_code(value: str, system: str | None = None) -> str | None:
    """FHIR token search against an element coded in ``system`` (None: an element without one).

    ``code`` matches the code in any system; ``system|code`` only in that system; ``|code`` only
    a code without a system; ``system|`` any code in that system (returns None: no code filter).
    Raises NoMatch when the searched system is not the element's.
    """
    if "|" not in value:
        return value
    searched, _, code = value.partition("|")
    if (searched or None) != system:
        raise NoMatch(value)
    return code or None
