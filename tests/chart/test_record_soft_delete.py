"""Deleting a clinical record is a soft delete with a reason (issue #12 finding 2): the row is
kept with who, when and why; it is hidden from every normal read (chart, FHIR, exports); the
administrator still sees it in the admin; the audit trail has the delete. One action
(``collis.audit.softdelete.delete_record``) serves the clinic page and the admin."""

from __future__ import annotations

from datetime import date

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse
from django.utils import timezone

from collis.audit.models import AuditEvent
from collis.audit.softdelete import DeletionReasonError, delete_record
from collis.injections import actions
from collis.injections.dosing import PlannedInjection, Side
from collis.injections.models import AdverseEvent, Injection, InjectionSession
from collis.recordings.models import PostureRecording
from collis.scales.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(clinician_user, clinician, patient, xeomin_lot):
    session = actions.record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=xeomin_lot,
        units_product=xeomin_lot.product.code,
        injected_on=date(2026, 1, 5),
        dilution_units_per_ml=50,
        injections=[PlannedInjection("scm", Side.RIGHT, 40)],
        clinician=clinician,
        notes="Daughter drove her",
    )
    actions.record_adverse_event(
        None,
        actor=clinician_user,
        session=session,
        kind="dysphagia",
        severity="mild",
        reported_on=date(2026, 1, 15),
    )
    return session


@pytest.fixture
def bearer(db):
    from collis.interop.actions import issue_api_token

    def make(user) -> dict[str, str]:
        _, raw = issue_api_token(user, "test client", ["*.read"])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


def _deletes(record) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action="delete", object_type=record._meta.label, object_id=str(record.pk)
        )
    )


def test_the_action_keeps_the_row_hides_it_and_audits_the_reason(session, clinician_user):
    deleted = delete_record(
        None, actor=clinician_user, record=session, reason="  Entered for the wrong patient "
    )
    assert deleted.deleted_by == clinician_user and deleted.deleted_at is not None
    kept = InjectionSession.all_objects.get(pk=session.pk)
    assert kept.deletion_reason == "Entered for the wrong patient"
    assert not InjectionSession.objects.filter(pk=session.pk).exists()
    assert not session.patient.injection_sessions.exists()
    # The session's doses and events go with it.
    assert not Injection.objects.filter(session_id=session.pk).exists()
    assert not AdverseEvent.objects.filter(session_id=session.pk).exists()
    assert Injection.all_objects.filter(session_id=session.pk).count() == 1
    [event] = _deletes(session)
    assert event.detail["reason"] == "Entered for the wrong patient"
    assert event.detail["soft"] is True and event.patient_id == session.patient_id
    # A second delete changes nothing and is not audited twice.
    delete_record(None, actor=clinician_user, record=kept, reason="again")
    assert InjectionSession.all_objects.get(pk=session.pk).deletion_reason.startswith("Entered")
    assert len(_deletes(session)) == 1


def test_no_reason_no_delete(session, clinician_user):
    with pytest.raises(DeletionReasonError) as caught:
        delete_record(None, actor=clinician_user, record=session, reason="   ")
    assert caught.value.code == "deletion_reason_required"
    assert InjectionSession.objects.filter(pk=session.pk).exists()
    assert _deletes(session) == []


def test_the_clinic_page_deletes_with_a_reason(client, clinician_user, session):
    sign_in_with_second_factor(client, clinician_user)
    url = reverse("patients:record-delete", args=["injection-session", session.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Reason for deleting" in page.content
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and b"Give the reason" in refused.content
    assert InjectionSession.objects.filter(pk=session.pk).exists()
    done = client.post(url, {"reason": "Duplicate entry"})
    assert done.status_code == 302
    assert done["Location"] == reverse("patients:patient-detail", args=[session.patient_id])
    assert InjectionSession.all_objects.get(pk=session.pk).deletion_reason == "Duplicate entry"
    assert _deletes(session)[0].detail["via"] == "view"
    # The deleted session is gone from its own page and from the chart.
    assert client.get(session.get_absolute_url()).status_code == 404
    chart = client.get(reverse("patients:patient-detail", args=[session.patient_id]))
    assert session.get_absolute_url().encode() not in chart.content
    assert client.get(url).status_code == 404


def test_session_page_links_the_delete(client, clinician_user, session):
    sign_in_with_second_factor(client, clinician_user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert reverse("patients:record-delete", args=["injection-session", session.pk]) in page


@pytest.mark.parametrize("persona", ["front_desk", "patient_user"])
def test_other_roles_cannot_delete(request, client, session, persona):
    user = request.getfixturevalue(persona)
    sign_in_with_second_factor(client, user)
    url = reverse("patients:record-delete", args=["injection-session", session.pk])
    assert client.post(url, {"reason": "x"}).status_code in (403, 404)
    assert InjectionSession.objects.filter(pk=session.pk).exists()


def test_unknown_kind_is_404(client, clinician_user, session):
    sign_in_with_second_factor(client, clinician_user)
    assert client.get(f"/clinic/records/visit/{session.visit_id}/delete/").status_code == 404


def test_admin_delete_is_the_same_soft_delete_and_administrators_still_see_it(
    client, administrator, session
):
    sign_in_with_second_factor(client, administrator)
    url = reverse("admin:injections_injectionsession_delete", args=[session.pk])
    client.post(url, {"post": "yes", "reason": "Test record"})
    kept = InjectionSession.all_objects.get(pk=session.pk)
    assert kept.deleted_at is not None and kept.deletion_reason == "Test record"
    assert _deletes(session)[0].detail["via"] == "admin"
    listing = client.get(
        reverse("admin:injections_injectionsession_changelist"), {"deleted": "yes"}
    )
    assert listing.status_code == 200
    assert f"/admin/injections/injectionsession/{session.pk}/change/" in listing.content.decode()
    opened = client.get(reverse("admin:injections_injectionsession_change", args=[session.pk]))
    assert opened.status_code == 200 and b"Test record" in opened.content


def test_clinicians_admin_list_hides_deleted_rows(client, clinician_user, session):
    delete_record(None, actor=clinician_user, record=session, reason="Duplicate")
    sign_in_with_second_factor(client, clinician_user)
    listing = client.get(reverse("admin:injections_injectionsession_changelist"))
    if listing.status_code == 200:
        assert f"/injectionsession/{session.pk}/change/" not in listing.content.decode()


def test_anonymising_erases_the_free_text_of_deleted_records(
    session, clinician_user, administrator
):
    from collis.patients.actions import anonymise_patient

    delete_record(None, actor=clinician_user, record=session, reason="Duplicate")
    anonymise_patient(session.patient, administrator, "request")
    assert InjectionSession.all_objects.get(pk=session.pk).notes == ""


def test_deleted_records_leave_fhir_and_the_data_export(client, demo_data, clinician_user, bearer):
    """A deleted session, assessment and posture analysis are neither read nor searched in FHIR
    (nor their doses and events), nor in $everything or the patient's own data download."""
    from collis.patients.privacy import export_patient_data

    session = (
        InjectionSession.objects.filter(adverse_events__isnull=False, patient__user__isnull=False)
        .order_by("pk")
        .first()
    )
    patient = session.patient
    assessment = Assessment.objects.filter(patient=patient, status="complete").first()
    recording = PostureRecording.objects.filter(rotation_deg__isnull=False).first()
    injection = session.injections.first()
    event = session.adverse_events.first()
    exported_before = len(export_patient_data(patient)["sections"]["injections"]["sessions"])
    for record in (session, assessment, recording):
        delete_record(None, actor=clinician_user, record=record, reason="Entered in error")
    auth = bearer(clinician_user)
    gone = {
        f"/fhir/Procedure/{session.pk}",
        f"/fhir/MedicationAdministration/{injection.pk}",
        f"/fhir/AdverseEvent/{event.pk}",
        f"/fhir/Observation/scale-{assessment.pk}",
        f"/fhir/Observation/posture-{recording.pk}",
    }
    for url in gone:
        assert client.get(url, **auth).status_code == 404, url
    ids = set()
    for name in ("Procedure", "MedicationAdministration", "AdverseEvent", "Observation"):
        bundle = client.get(f"/fhir/{name}", {"_count": 500}, **auth).json()
        ids |= {f"/fhir/{name}/{e['resource']['id']}" for e in bundle.get("entry", [])}
    assert not gone & ids
    everything = client.get(f"/fhir/Patient/{patient.pk}/$everything", **auth).json()
    refs = {
        f"/fhir/{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in everything.get("entry", [])
    }
    assert not gone & refs
    exported = export_patient_data(patient)["sections"]["injections"]["sessions"]
    assert len(exported) == exported_before - 1
    assert session.injected_on.isoformat() not in {s["injected_on"] for s in exported}


def test_a_diary_entry_deleted_in_the_admin_is_kept_and_the_day_can_be_logged_again(
    client, administrator, patient
):
    """Issue #12 names diary entries beside sessions: the admin's delete is the soft delete."""
    from collis.diary.actions import record_diary_entry
    from collis.diary.models import DiaryEntry
    from collis.patients.actions import anonymise_patient

    day = date(2026, 3, 2)
    entry = record_diary_entry(
        None, actor=patient.user, patient=patient, entry_date=day, pain=3, severity=4, note="Rosa"
    )
    sign_in_with_second_factor(client, administrator)
    url = reverse("admin:diary_diaryentry_delete", args=[entry.pk])
    client.post(url, {"post": "yes", "reason": "Logged for the wrong day"})
    kept = DiaryEntry.all_objects.get(pk=entry.pk)
    assert kept.deletion_reason == "Logged for the wrong day"
    assert not patient.diary_entries.exists()
    assert _deletes(entry)[0].detail["via"] == "admin"
    again = record_diary_entry(
        None, actor=patient.user, patient=patient, entry_date=day, pain=1, severity=2
    )
    assert again.pk != entry.pk and list(patient.diary_entries.all()) == [again]
    anonymise_patient(patient, administrator, "request")
    assert DiaryEntry.all_objects.get(pk=entry.pk).note == ""


API_HEADERS = {"content_type": "application/json", "HTTP_ORIGIN": "http://testserver"}


def test_the_api_deletes_through_the_same_action(client, clinician_user, session):
    sign_in_with_second_factor(client, clinician_user)
    url = f"/api/clinical/records/injection-session/{session.pk}/delete"
    response = client.post(url, {"reason": "Duplicate from the import"}, **API_HEADERS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "injection-session" and body["id"] == session.pk
    kept = InjectionSession.all_objects.get(pk=session.pk)
    assert kept.deletion_reason == "Duplicate from the import"
    assert _deletes(session)[0].detail["via"] == "api"
    # Already deleted: gone, like any record the caller cannot see.
    again = client.post(url, {"reason": "again"}, **API_HEADERS)
    assert again.status_code == 404 and again["Content-Type"] == "application/problem+json"


def test_the_api_wants_a_reason_and_a_clinician(client, clinician_user, front_desk, session):
    url = f"/api/clinical/records/injection-session/{session.pk}/delete"
    sign_in_with_second_factor(client, clinician_user)
    blank = client.post(url, {"reason": "   "}, **API_HEADERS)
    assert blank.status_code == 422 and blank.json()["code"] == "deletion_reason_required"
    assert client.post(url, {}, **API_HEADERS).status_code == 422
    unknown = client.post(
        f"/api/clinical/records/visit/{session.pk}/delete", {"reason": "x"}, **API_HEADERS
    )
    assert unknown.status_code == 422  # not one of the kinds the schema lists
    client.logout()
    sign_in_with_second_factor(client, front_desk)
    assert client.post(url, {"reason": "x"}, **API_HEADERS).status_code == 403
    assert InjectionSession.objects.filter(pk=session.pk).exists()


def test_a_deleted_session_leaves_the_timeline_and_the_visit_summary(session, clinician_user):
    from collis.chart import timeline
    from collis.chart.summary import build_visit_summary

    assert [s.pk for s in timeline.injection_sessions(session.patient)] == [session.pk]
    delete_record(None, actor=clinician_user, record=session, reason="Duplicate")
    assert list(timeline.injection_sessions(session.patient)) == []
    assert timeline.build_cycles(session.patient) == []
    summary = build_visit_summary(session.visit, include_notes=True)
    assert summary.sessions == ()
    events = timeline.build_timeline(session.patient)
    assert not [e for e in events if getattr(e, "url", "") == session.get_absolute_url()]


@pytest.mark.parametrize("kind", ["assessment", "posture-analysis"])
def test_the_clinic_page_deletes_assessments_and_posture_analyses(
    client, clinician_user, clinician, patient, session, kind
):
    from collis.scales.actions import save_assessment

    if kind == "assessment":
        record = save_assessment(
            None,
            actor=clinician_user,
            patient=patient,
            scale="twstrs",
            answers={},
            assessed_on=date(2026, 1, 5),
            complete=False,
        )
        model = Assessment
    else:
        record = PostureRecording.objects.create(
            patient=patient,
            visit=session.visit,
            uploaded_by=clinician_user,
            kind="image",
            mime_type="image/png",
            size_bytes=1,
            width=64,
            height=64,
            consent_confirmed=True,
            consent_confirmed_by=clinician_user,
            consent_confirmed_at=timezone.now(),
        )
        model = PostureRecording
    sign_in_with_second_factor(client, clinician_user)
    url = reverse("patients:record-delete", args=[kind, record.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Wrong patient"}).status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()
    assert model.all_objects.get(pk=record.pk).deletion_reason == "Wrong patient"
    assert client.get(record.get_absolute_url()).status_code == 404
