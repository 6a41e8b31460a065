"""Clinic pages for posture recordings: allowed and denied, audited, and the hooks they fill."""

from __future__ import annotations

import pytest
from django.urls import reverse

from collis.audit.models import AuditEvent
from collis.recordings.models import PostureRecording

pytestmark = pytest.mark.django_db


def _media_urls(recording) -> list[str]:
    return [
        reverse("recordings:recording-original", args=[recording.pk]),
        reverse("recordings:recording-annotated", args=[recording.pk]),
    ]


def test_clinician_uploads_on_a_visit_and_lands_on_the_result(
    clinician_client, visit, astronaut_jpeg, upload, django_capture_on_commit_callbacks
):
    url = reverse("recordings:recording-create", args=[visit.pk])
    page = clinician_client.get(url)
    assert page.status_code == 200
    assert b"The patient agreed to this photo/video being taken and stored" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            url, {"file": upload(astronaut_jpeg), "consent_confirmed": "on"}
        )
    recording = PostureRecording.objects.get()
    assert response.status_code == 302 and response["Location"] == recording.get_absolute_url()
    detail = clinician_client.get(recording.get_absolute_url())
    html = detail.content.decode()
    assert "Head posture" in html and "Rotation" in html and "°" in html
    assert "Suggested TWSTRS severity items" in html and "suggestions" in html
    assert "Head angles over time" in html and "Tremor spectrum" in html
    assert "Head posture angles across visits" in html and "<svg" in html
    assert reverse("recordings:recording-annotated", args=[recording.pk]) in html
    assert "<script>" not in html  # CSP: scripts only from static files


def test_upload_without_consent_shows_the_error_and_stores_nothing(
    clinician_client, visit, astronaut_jpeg, upload
):
    url = reverse("recordings:recording-create", args=[visit.pk])
    response = clinician_client.post(url, {"file": upload(astronaut_jpeg)})
    assert response.status_code == 422
    assert "Confirm that the patient agreed" in response.content.decode()
    assert not PostureRecording.objects.exists()


def test_a_text_file_named_jpg_gets_a_clear_form_error(clinician_client, visit, upload):
    url = reverse("recordings:recording-create", args=[visit.pk])
    response = clinician_client.post(
        url, {"file": upload(b"hello, not a photo", "face.jpg"), "consent_confirmed": "on"}
    )
    assert response.status_code == 422
    assert "This file is not a photo" in response.content.decode()
    assert not PostureRecording.objects.exists()


def test_failed_analysis_is_visible_with_its_message_and_a_retry_button(
    clinician_client, visit, faceless_jpeg, upload, django_capture_on_commit_callbacks
):
    url = reverse("recordings:recording-create", args=[visit.pk])
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(url, {"file": upload(faceless_jpeg), "consent_confirmed": "on"})
    recording = PostureRecording.objects.get()
    html = clinician_client.get(recording.get_absolute_url()).content.decode()
    assert "Analysis failed" in html and "No face was found" in html
    assert reverse("recordings:recording-retry", args=[recording.pk]) in html
    assert "status.js" not in html and "data-status-url" not in html  # no reload loop
    status = clinician_client.get(reverse("recordings:recording-status", args=[recording.pk]))
    assert status.json()["status"] == "failed" and status.json()["finished"] is True


def test_queued_analysis_shows_progress_a_refresh_link_and_the_status_json(
    clinician_client, visit, clinician_user, astronaut_jpeg, upload
):
    from collis.recordings.actions import upload_recording

    recording = upload_recording(
        None, actor=clinician_user, visit=visit, file=upload(astronaut_jpeg), mirrored=False,
        consent_confirmed=True,
    )  # fmt: skip
    recording.job.report_progress(0.4, "120 frames analysed")
    html = clinician_client.get(recording.get_absolute_url()).content.decode()
    assert "<progress" in html and ">Refresh</a>" in html and "status.js" in html
    status = clinician_client.get(reverse("recordings:recording-status", args=[recording.pk]))
    assert status.json() == {
        "status": "queued",
        "label": "Waiting to be analysed",
        "percent": 40,
        "note": "120 frames analysed",
        "finished": False,
    }


def test_media_are_served_privately_and_every_read_is_audited(clinician_client, analysed):
    for url in _media_urls(analysed):
        before = AuditEvent.objects.filter(action="read", object_id=str(analysed.pk)).count()
        response = clinician_client.get(url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline; filename=")
        assert "no-store" in response["Cache-Control"]
        # Reading to the end also closes the file (the test client wraps the stream).
        assert b"".join(response.streaming_content)[:4] in {b"\xff\xd8\xff\xe0", b"\x89PNG"}
        after = AuditEvent.objects.filter(action="read", object_id=str(analysed.pk)).count()
        assert after == before + 1


@pytest.mark.parametrize("persona", ["front_desk", "patient_user", "outsider", "administrator"])
def test_media_and_pages_are_denied_to_other_roles(client, login_staff, analysed, persona, request):
    user = request.getfixturevalue(persona)
    if user.is_staff:
        login_staff(user)
    else:
        client.force_login(user)
    urls = [
        *_media_urls(analysed),
        analysed.get_absolute_url(),
        reverse("recordings:recording-status", args=[analysed.pk]),
        reverse("recordings:recording-create", args=[analysed.visit_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("recordings:recording-delete-original", args=[analysed.pk])).status_code
        == 403
    )
    analysed.refresh_from_db()
    assert analysed.has_original
    assert not AuditEvent.objects.filter(
        actor=user, object_type="recordings.PostureRecording"
    ).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, analysed):
    for url in _media_urls(analysed):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_deleted_media_answer_404_and_the_page_says_so(
    clinician_client, analysed, django_capture_on_commit_callbacks
):
    url = reverse("recordings:recording-delete-original", args=[analysed.pk])
    assert "Delete the photo or video?" in clinician_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(url)
    assert response.status_code == 302
    for media in _media_urls(analysed):
        assert clinician_client.get(media).status_code == 404
    html = clinician_client.get(analysed.get_absolute_url()).content.decode()
    assert "the measurements are kept" in html.lower() and "Head posture" in html


def test_twstrs_form_is_prefilled_with_the_visits_suggestions(clinician_client, analysed):
    url = reverse("scales:assessment-create", args=[analysed.patient_id, "twstrs"])
    html = clinician_client.get(f"{url}?visit={analysed.visit_id}").content.decode()
    grade = analysed.result["twstrs_severity"]["rotation"]
    assert f"suggested: {grade}" in html and "They are suggestions" in html
    # The caveats sit beside the pre-filled fields, not only on the result page (issue #14).
    assert 'id="id_rotation_caveat"' in html and "TWSTRS bands" in html
    assert "graded on the photo" in html
    near = [s["item"] for s in analysed.suggestions if s["near_boundary"]]
    assert near and "near a band edge" in html
    plain = clinician_client.get(url).content.decode()
    assert "suggested:" not in plain  # no visit chosen, nothing pre-filled


def test_patient_record_shows_the_posture_event_and_the_angle_chart(clinician_client, analysed):
    html = clinician_client.get(
        reverse("patients:patient-detail", args=[analysed.patient_id])
    ).content.decode()
    assert "Posture analysis (photo)" in html and analysed.get_absolute_url() in html
    assert "No posture analyses recorded yet." not in html
    assert reverse("recordings:recording-create", args=[analysed.visit_id]) in html


def test_visit_summary_lists_the_measured_angles(clinician_client, analysed):
    html = clinician_client.get(
        reverse("patients:visit-summary", args=[analysed.visit_id])
    ).content.decode()
    assert "No posture analysis at this visit." not in html
    assert "Rotation:" in html and "Laterocollis (tilt):" in html


def test_demo_patient_has_synthetic_analyses_across_visits(demo_data, clinician_client):
    """seed_demo gives DEMO-0001 a few analyses (no photos) and is idempotent."""
    from io import StringIO

    from django.core.management import call_command

    from collis.patients.models import Patient

    patient = Patient.objects.get(mrn="DEMO-0001")
    rows = PostureRecording.objects.filter(patient=patient)
    count = rows.count()
    assert count >= 2 and all(r.status == "done" and not r.has_original for r in rows)
    call_command("seed_demo", stdout=StringIO())
    assert rows.count() == count
    page = clinician_client.get(rows.first().get_absolute_url()).content.decode()
    assert "No photo or video is stored" in page and "Head posture" in page


def test_a_recording_marked_neutral_is_the_flexion_reference_of_later_ones(
    clinician_client, analysed, clinician_user, astronaut_jpeg, upload,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Issue #14 item 6: flexion against the patient's own neutral, and the page says so."""
    from collis.recordings.actions import upload_recording

    before = analysed.result["angles"]["flexion_deg"]
    assert analysed.result["flexion_reference"]["kind"] == "reference_face"
    page = clinician_client.get(analysed.get_absolute_url()).content.decode()
    assert "Mark as the patient's neutral posture" in page
    response = clinician_client.post(
        reverse("recordings:recording-neutral", args=[analysed.pk]), {"neutral": "1"}
    )
    assert response.status_code == 302
    analysed.refresh_from_db()
    assert analysed.is_neutral
    assert AuditEvent.objects.filter(
        action="update", object_id=str(analysed.pk), detail__neutral=True
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        later = upload_recording(
            None, actor=clinician_user, visit=analysed.visit, file=upload(astronaut_jpeg),
            mirrored=False, consent_confirmed=True,
        )  # fmt: skip
    later.refresh_from_db()
    reference = later.result["flexion_reference"]
    assert reference["kind"] == "neutral_recording"
    assert f"#{analysed.pk}" in reference["neutral"]
    assert reference["offset_deg"] == pytest.approx(before, abs=0.01)
    # The same photo against itself: flexion ≈ 0.
    assert later.result["angles"]["flexion_deg"] == pytest.approx(0.0, abs=0.5)
    assert later.camera_flexion_deg == pytest.approx(before, abs=0.5)
    html = clinician_client.get(later.get_absolute_url()).content.decode()
    assert "measured against the patient&#x27;s own neutral" in html
