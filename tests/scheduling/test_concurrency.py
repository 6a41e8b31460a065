"""No double booking under real concurrency: many requests at once, one winner per slot.

Each thread is its own client with its own database connection, posting to the API at the same
moment (a barrier releases them together). On PostgreSQL the exclusion constraint decides the
race; on SQLite the IMMEDIATE transactions queue the writers. Runs on whichever database the
suite runs on (CI runs both). SQLite's in-memory test database cannot have independent
connections, so on SQLite the race runs in a migrated database file, as in production.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from collis.scheduling.models import Appointment

from .conftest import make_clinic

THREADS_PER_SLOT = 4


def _in_thread(work: Callable[[], Any]) -> Any:
    """Run ``work`` on a fresh thread, hence a fresh database connection, and return its result."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # re-raised in the test's thread
            box["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in box:
        raise box["error"]
    return box["result"]


@pytest.fixture
def race_clinic(transactional_db, tmp_path):
    with _independent_connections(tmp_path):
        yield _in_thread(make_clinic)


@contextmanager
def _independent_connections(tmp_path) -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    # New connections (each thread's) open this file; the test's own connection stays put.
    settings_dict = connections["default"].settings_dict
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(tmp_path / "race.sqlite3")
    try:
        _in_thread(lambda: call_command("migrate", verbosity=0))
        yield
    finally:
        settings_dict["NAME"] = original


def _active_starts() -> list:
    return _in_thread(lambda: [a.start for a in Appointment.objects.active().order_by("start")])


def _race(payloads: list[dict]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(payloads))
    results: list[tuple[int, dict]] = [(0, {})] * len(payloads)

    def attempt(index: int, payload: dict) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(
                "/api/scheduling/appointments", payload, content_type="application/json"
            )
            results[index] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i, p)) for i, p in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _payload(clinic, start, n: int) -> dict:
    return {
        "appointment_type": clinic.injection.slug,
        "clinician": clinic.okafor.slug,
        "start": start.isoformat(),
        "contact": {
            "given_name": f"Racer{n}",
            "family_name": "Example",
            "email": f"racer{n}@example.com",
            "birth_date": "1980-01-01",
        },
    }


def test_concurrent_requests_book_each_slot_exactly_once(race_clinic):
    clinic = race_clinic
    # Three slots 45 minutes apart (30-min visit + buffers fit between them), four racers each.
    starts = [clinic.at(clinic.monday, 9, 15) + timedelta(minutes=45 * i) for i in range(3)]
    payloads = [
        _payload(clinic, start, n=i * THREADS_PER_SLOT + k)
        for i, start in enumerate(starts)
        for k in range(THREADS_PER_SLOT)
    ]
    results = _race(payloads)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: len(starts), 409: len(payloads) - len(starts)}, results
    assert _active_starts() == starts
    for status, body in results:
        if status == 409:
            assert body["code"] == "slot_taken"
            assert body["title"] == "Sorry, that time was just taken."
            assert body["alternatives"], "a loser is offered nearby times"


def test_concurrent_overlapping_but_different_starts_cannot_both_win(race_clinic):
    clinic = race_clinic
    """9:00 and 9:15 overlap (30-min visits with buffers): exactly one of them is booked."""
    starts = [clinic.at(clinic.monday, 9), clinic.at(clinic.monday, 9, 15)] * 3
    results = _race([_payload(clinic, s, n) for n, s in enumerate(starts)])
    assert Counter(status for status, _ in results) == {201: 1, 409: 5}, results
    assert len(_active_starts()) == 1


def test_concurrent_duplicate_submissions_book_once(race_clinic):
    clinic = race_clinic
    payload = _payload(clinic, clinic.at(clinic.monday, 10), 1) | {"idempotency_key": "same-form"}
    results = _race([payload] * 4)
    assert {status for status, _ in results} == {201}
    assert len({body["uid"] for _, body in results}) == 1
    assert len(_active_starts()) == 1


@pytest.mark.django_db
def test_postgresql_itself_rejects_overlapping_active_appointments(clinic, patient):
    """Even a write that skips the actions cannot double-book on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL; SQLite relies on IMMEDIATE")
    from django.db import IntegrityError, transaction

    start = clinic.at(clinic.monday, 9)

    def insert(offset_minutes: int, status: str = "confirmed") -> Appointment:
        begin = start + timedelta(minutes=offset_minutes)
        return Appointment.objects.create(
            patient=patient,
            clinician=clinic.okafor,
            location=clinic.location,
            appointment_type=clinic.follow_up,
            start=begin,
            end=begin + timedelta(minutes=20),
            blocked_start=begin,
            blocked_end=begin + timedelta(minutes=25),
            status=status,
            contact_name="A B",
            contact_email="a@example.com",
        )

    insert(0)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(20)  # overlaps the first one's 5-minute after-buffer
    insert(25)  # touching is fine
    insert(10, status="cancelled")  # cancelled appointments hold no time
