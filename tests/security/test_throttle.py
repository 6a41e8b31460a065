"""The reusable fixed-window rate limit: parsing, counting, and the 429 answer."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from collis.lib.throttle import Rate, hit, parse_rate, rate_limit, seconds_until_next_window


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/m", Rate(10, 60)),
        ("1/s", Rate(1, 1)),
        ("100/h", Rate(100, 3600)),
        ("5/15m", Rate(5, 900)),
        (" 3 / d ", Rate(3, 86400)),
    ],
)
def test_parse_rate(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "10", "10/w", "0/m", "5/0m", "-1/m", "ten/m", "10/m/s"])
def test_parse_rate_refuses_nonsense(text):
    with pytest.raises(ValueError, match="rate"):
        parse_rate(text)


@pytest.mark.parametrize(
    ("now", "period", "expected"),
    [(0.0, 60, 60), (59.0, 60, 1), (59.9, 60, 1), (60.0, 60, 60), (125.5, 60, 55)],
)
def test_seconds_until_next_window(now, period, expected):
    assert seconds_until_next_window(now, period) == expected


@given(now=st.floats(min_value=0, max_value=4e9), period=st.integers(min_value=1, max_value=86400))
def test_window_reset_is_always_within_one_period(now, period):
    assert 1 <= seconds_until_next_window(now, period) <= period


def test_hit_counts_per_client_and_window():
    rate = Rate(2, 60)
    assert [hit("t", "a", rate, now=120.0)[0] for _ in range(3)] == [True, True, False]
    assert hit("t", "b", rate, now=120.0)[0]  # another address has its own budget
    assert hit("t", "a", rate, now=180.0)[0]  # a new window starts afresh


@rate_limit("3/m", methods=("POST",))
def _booking(request):
    return HttpResponse("booked")


@pytest.mark.django_db
def test_decorated_view_answers_429_with_retry_after():
    factory = RequestFactory()
    statuses = [_booking(factory.post("/book/")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    blocked = _booking(factory.post("/book/"))
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert b"Too many requests" in blocked.content
    assert _booking(factory.get("/book/")).status_code == 200  # page views are not counted


def test_api_paths_get_problem_json():
    @rate_limit("1/m")
    def endpoint(request):
        return HttpResponse("{}")

    factory = RequestFactory()
    endpoint(factory.get("/api/things"))
    response = endpoint(factory.get("/api/things"))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
