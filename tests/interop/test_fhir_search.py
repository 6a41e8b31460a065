"""Pure search-value parsing: date prefixes in the clinic zone (across DST) and references."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.interop.fhir.errors import SearchError
from collis.interop.fhir.search import Bounds, date_bounds, numeric_reference, reference_id

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
        ("2026-02-30", "is not a date"),
        ("yesterday", "not a date or a date-time"),
        ("ge2026-03-02T09:00:00", "needs a UTC offset"),
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
