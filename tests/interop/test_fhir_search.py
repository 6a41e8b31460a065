"""Pure search-value parsing: date prefixes in the clinic zone (across DST) and references."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.interop.fhir.errors import SearchError
from collis.interop.fhir.search import (
    Bounds,
    date_bounds,
    day_range,
    instant_range,
    numeric_reference,
    parse_date,
    reference_id,
)

CHICAGO = ZoneInfo("America/Chicago")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "lower", "upper"),
    [
        # 2 March 2026 is CST (UTC-6): the day is 06:00Z to 06:00Z next day.
        ("2026-03-02", utc(2026, 3, 2, 6), utc(2026, 3, 3, 6)),
        ("eq2026-03-02", utc(2026, 3, 2, 6), utc(2026, 3, 3, 6)),
        ("ge2026-03-02", utc(2026, 3, 2, 6), None),
        ("gt2026-03-02", utc(2026, 3, 3, 6), None),
        ("le2026-03-02", None, utc(2026, 3, 3, 6)),
        ("lt2026-03-02", None, utc(2026, 3, 2, 6)),
        # 8 March 2026 springs forward: a 23-hour day, from 06:00Z to 05:00Z.
        ("2026-03-08", utc(2026, 3, 8, 6), utc(2026, 3, 9, 5)),
        # 1 November 2026 falls back: a 25-hour day, from 05:00Z to 06:00Z.
        ("2026-11-01", utc(2026, 11, 1, 5), utc(2026, 11, 2, 6)),
        ("ge2026-03-02T09:00:00-06:00", utc(2026, 3, 2, 15), None),
        ("lt2026-03-02T09:00:00+00:00", None, utc(2026, 3, 2, 9)),
    ],
)
def test_date_prefixes_select_local_days(value, lower, upper):
    bounds = date_bounds(value, CHICAGO)
    assert bounds.lower == lower
    assert bounds.upper == upper


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "is not a date that exists"),
        ("yesterday", "is not a FHIR date"),
        ("2026-13", "is not a date that exists"),
        ("ge2026-03-02T25:00", "is not a date that exists"),
    ],
)
def test_bad_dates_raise_search_errors(value, message):
    with pytest.raises(SearchError, match=message):
        date_bounds(value, CHICAGO)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
)
def test_ge_and_le_of_a_day_narrow_to_that_day(first, second):
    day = first.date().isoformat()
    narrowed = date_bounds(f"ge{day}", CHICAGO).narrowed(date_bounds(f"le{day}", CHICAGO))
    assert narrowed == date_bounds(day, CHICAGO)
    # Narrowing never widens: the result lies inside both inputs.
    other = date_bounds(f"ge{second.date().isoformat()}", CHICAGO)
    both = narrowed.narrowed(other)
    assert both.lower == max(narrowed.lower, other.lower)
    assert both.upper == narrowed.upper


def test_empty_bounds_narrow_to_the_other():
    day = date_bounds("2026-03-02", CHICAGO)
    assert Bounds().narrowed(day) == day


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", "12"),
        ("Patient/12", "12"),
        ("https://clinic.example/fhir/Patient/12", "12"),
    ],
)
def test_references_name_an_id_of_the_type(value, expected):
    assert reference_id(value, "Patient") == expected


@pytest.mark.parametrize("value", ["Practitioner/12", "Patient/", "Patient/a b", ""])
def test_other_types_or_malformed_references_raise(value):
    with pytest.raises(SearchError):
        reference_id(value, "Patient")


def test_numeric_reference_needs_digits():
    assert numeric_reference("Patient/7", "Patient") == 7
    with pytest.raises(SearchError):
        numeric_reference("Patient/seven", "Patient")


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        # Partial dates cover their whole year or month, in the clinic's zone (CST, UTC-6).
        ("2026", utc(2026, 1, 1, 6), utc(2027, 1, 1, 6)),
        ("2026-03", utc(2026, 3, 1, 6), utc(2026, 4, 1, 5)),  # DST starts 8 March
        ("2026-12", utc(2026, 12, 1, 6), utc(2027, 1, 1, 6)),
        ("2026-03-02T09:00Z", utc(2026, 3, 2, 9), utc(2026, 3, 2, 9, 1)),
        ("2026-03-02T09:00:30+01:00", utc(2026, 3, 2, 8, 0, 30), utc(2026, 3, 2, 8, 0, 31)),
        # No offset: the server's (clinic's) zone, as FHIR allows.
        ("2026-03-02T09:00:00", utc(2026, 3, 2, 15), utc(2026, 3, 2, 15, 0, 1)),
    ],
)
def test_partial_dates_and_precision(value, start, end):
    parsed = parse_date(value, CHICAGO)
    assert (parsed.start, parsed.end) == (start, end)


NOW = utc(2026, 6, 1)


@pytest.mark.parametrize(
    ("value", "lower", "upper", "negate"),
    [
        ("eq2026-03", date(2026, 3, 1), date(2026, 4, 1), False),
        ("ne2026-03", date(2026, 3, 1), date(2026, 4, 1), True),
        ("ge2026-03", date(2026, 3, 1), None, False),
        ("gt2026-03", date(2026, 4, 1), None, False),
        ("sa2026-03", date(2026, 4, 1), None, False),
        ("le2026-03", None, date(2026, 4, 1), False),
        ("lt2026-03", None, date(2026, 3, 1), False),
        ("eb2026-03", None, date(2026, 3, 1), False),
        # A day never lies inside one minute; ge/le of a time take the days that overlap.
        ("eq2026-03-02T09:00Z", date(2026, 3, 3), date(2026, 3, 2), False),
        ("ge2026-03-02T09:00Z", date(2026, 3, 2), None, False),
        ("sa2026-03-02T09:00Z", date(2026, 3, 3), None, False),
    ],
)
def test_prefixes_on_stored_days(value, lower, upper, negate):
    found = day_range(parse_date(value, CHICAGO), CHICAGO, NOW)
    assert (found.lower, found.upper, found.negate) == (lower, upper, negate)


def test_prefixes_on_stored_instants_and_approximately():
    day = parse_date("2026-03-02", CHICAGO)
    assert instant_range(day, NOW).lower == utc(2026, 3, 2, 6)
    assert instant_range(parse_date("gt2026-03-02", CHICAGO), NOW).lower == utc(2026, 3, 3, 6)
    assert instant_range(parse_date("eb2026-03-02", CHICAGO), NOW).upper == utc(2026, 3, 2, 6)
    near = instant_range(parse_date("ap2026-05-22", CHICAGO), NOW)
    assert near.lower < utc(2026, 5, 22, 5) and near.upper > utc(2026, 5, 23, 5)
    assert not near.negate
