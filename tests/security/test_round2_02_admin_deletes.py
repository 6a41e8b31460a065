"""Finding 2: the admin's "Delete selected" removed diary entries and injection sessions with no
audit row. Bulk delete is gone for health data; a single delete needs a reason and leaves an
audit row with the reason and a snapshot; cascaded deletes leave one row per health record.
"""

from __future__ import annotations

from datetime import date

import pytest

from collis.audit.models import AuditEvent
from collis.diary.models import DiaryEntry
from collis.patients.models import Patient

from .attack import Attacker, give_authenticator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entries(db):
    patient = Patient.objects.create(mrn="D-1", given_name="Dina", family_name="Diarist")
    return patient, [
        DiaryEntry.objects.create(
            patient=patient, entry_date=date(2026, 1, day), pain=3, severity=4
        )
        for day in (1, 2, 3)
    ]


@pytest.fixture
def clinician_http(live_server, clinician_user) -> Attacker:
    give_authenticator(clinician_user)
    return Attacker(live_server.url).sign_in("t-clinician", "pw-clin-123456")


def test_bulk_delete_of_diary_entries_is_refused(clinician_http, entries):
    patient, rows = entries
    clinician_http.post(
        "/admin/diary/diaryentry/",
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
    )
    remaining = DiaryEntry.objects.filter(patient=patient).count()
    deletes = AuditEvent.objects.filter(action="delete", object_type="diary.DiaryEntry").count()
    assert remaining == 3 or deletes == 3 - remaining  # never a silent delete
    assert remaining == 3  # the bulk action is not offered for health data


def test_single_delete_needs_a_reason_and_is_audited_and_kept(clinician_http, entries):
    _, rows = entries
    path = f"/admin/diary/diaryentry/{rows[0].pk}/delete/"
    clinician_http.post(path, {"post": "yes"})
    assert DiaryEntry.objects.filter(pk=rows[0].pk).exists()
    response = clinician_http.post(path, {"post": "yes", "reason": "Entered for the wrong patient"})
    assert response.status_code == 302
    assert not DiaryEntry.objects.filter(pk=rows[0].pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="diary.DiaryEntry")
    assert event.actor_label == "t-clinician"
    assert event.detail["reason"] == "Entered for the wrong patient"
    # A soft delete: the row itself is kept (hidden everywhere), so it can be traced and undone.
    kept = DiaryEntry.all_objects.get(pk=rows[0].pk)
    assert event.detail["soft"] is True and kept.pain == 3
    assert kept.deleted_at is not None and kept.deletion_reason == "Entered for the wrong patient"


def test_cascaded_deletes_are_audited_one_row_each(entries, administrator):
    from collis.audit.deletion import deleting

    patient, rows = entries
    keys = {("patients.Patient", str(patient.pk)), *{("diary.DiaryEntry", str(r.pk)) for r in rows}}
    with deleting(actor=administrator, reason="duplicate record"):
        patient.delete()
    events = AuditEvent.objects.filter(action="delete")
    assert {(e.object_type, e.object_id) for e in events} >= keys
    assert all(e.detail.get("reason") == "duplicate record" for e in events)


def test_a_delete_outside_any_context_is_still_audited(entries):
    _, rows = entries
    pk = rows[1].pk
    rows[1].delete()
    assert AuditEvent.objects.filter(
        action="delete", object_type="diary.DiaryEntry", object_id=str(pk)
    ).exists()
