"""Administrators filter the audit trail and export it (CSV, JSON lines); exports are audited."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from collis.audit.actions import Action, record_access
from collis.audit.export import spreadsheet_safe
from collis.audit.models import AuditEvent
from collis.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(clinician_user, front_desk):
    ada = Patient.objects.create(mrn="E-1", given_name="Ada", family_name="One")
    bob = Patient.objects.create(mrn="E-2", given_name="Bob", family_name="Two")
    record_access(None, Action.READ, ada, user=clinician_user)
    record_access(None, Action.UPDATE, ada, user=clinician_user, detail={"fields": ["phone"]})
    record_access(None, Action.READ, bob, user=front_desk)
    record_access(
        None, Action.LOGIN_FAILED, object_type="auth.User", detail={"username": "=HYPERLINK(1)"}
    )
    return ada, bob


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_trail_page_filters_by_patient_and_action(client, login_staff, administrator, trail):
    ada, _ = trail
    login_staff(administrator)
    response = client.get(reverse("audit:event-list"), {"patient_id": ada.pk, "action": "read"})
    events = list(response.context["events"])
    assert [(e.action, e.patient_id) for e in events] == [("read", ada.pk)]
    assert response.context["total"] == 1


def test_csv_export_is_filtered_spreadsheet_safe_and_audited(
    client, login_staff, administrator, trail
):
    login_staff(administrator)
    response = client.get(reverse("audit:event-export-csv"), {"actor": "t-clinician"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert [row["action"] for row in rows] == ["read", "update"]  # oldest first
    assert json.loads(rows[1]["detail"]) == {"fields": ["phone"]}
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor == administrator
    assert export.detail == {"format": "csv", "filters": {"actor": "t-clinician"}, "count": 2}


def test_jsonl_export_holds_one_event_per_line(client, login_staff, administrator, trail):
    login_staff(administrator)
    lines = _body(client.get(reverse("audit:event-export-jsonl"))).splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == 4 + 1  # and the administrator's own sign-in; not the export itself
    assert {"at", "actor", "action", "patient_id", "ip_address", "detail"} <= set(events[0])


def test_attacker_controlled_cells_cannot_become_spreadsheet_formulas(
    client, login_staff, administrator, db
):
    client.post(
        reverse("accounts:login"),
        {"username": "nobody", "password": "x"},
        HTTP_USER_AGENT='=HYPERLINK("http://evil.example")',
    )
    login_staff(administrator)
    body = _body(client.get(reverse("audit:event-export-csv"), {"action": "login_failed"}))
    row = next(csv.DictReader(io.StringIO(body)))
    assert row["user_agent"] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33", "'+33"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("ada", "ada"),
        (None, ""),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_bad_filters_get_a_clear_error_not_an_export(client, login_staff, administrator, trail):
    login_staff(administrator)
    response = client.get(
        reverse("audit:event-export-csv"), {"since": "2026-05-02", "until": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "start date is after the end date" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_only_administrators_export(client, login_staff, clinician_user, trail):
    login_staff(clinician_user)
    assert client.get(reverse("audit:event-export-csv")).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_trail_page_names_the_sign_in_step_and_the_clinic_time_zone(
    client, login_staff, administrator, clinician_user, settings
):
    """A staff sign-in writes two Login entries (password, then second factor): the page says
    which is which, and in which zone its times are."""
    record_access(
        None, Action.LOGIN, object_type="auth.User", user=clinician_user, detail={"factor": "first"}
    )
    record_access(
        None,
        Action.LOGIN,
        object_type="auth.User",
        user=clinician_user,
        detail={"factor": "second"},
    )
    login_staff(administrator)
    page = client.get(reverse("audit:event-list"), {"actor": clinician_user.username})
    html = page.content.decode()
    assert "Login (password)" in html and "Login (second factor)" in html
    assert f"Times are clinic time ({settings.TIME_ZONE})" in html
