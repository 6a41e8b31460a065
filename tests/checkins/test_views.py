"""Home check-ins end to end on the server: consent, upload, analysis, review, curve."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from collis.audit.models import AuditEvent
from collis.checkins.models import HomeCheckin


def _video(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("checkin.mp4", content, content_type="video/mp4")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client


@pytest.fixture
def clinician_client(client, login_staff, clinician_user):
    from django.test import Client

    return login_staff(clinician_user, client=Client())


def test_recording_needs_home_consent_which_can_be_withdrawn(patient_client, patient):
    new = reverse("checkins:portal-new")
    assert patient_client.get(new)["Location"] == reverse("checkins:portal-consent")
    patient_client.post(reverse("checkins:portal-consent"), {"agree": "1"})
    page = patient_client.get(new)
    assert page.status_code == 200
    assert b"checkin.js" in page.content and b'id="checkin-protocol"' in page.content
    assert b"<script>" not in page.content  # strict CSP: no inline script
    patient_client.post(reverse("checkins:portal-consent"), {"revoke": "1"})
    assert patient_client.get(new).status_code == 302


def test_a_photo_is_refused_with_a_plain_message(patient_client, consented):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "white").save(buffer, "JPEG")
    response = patient_client.post(
        reverse("checkins:portal-new"),
        {"file": SimpleUploadedFile("x.jpg", buffer.getvalue(), content_type="image/jpeg")},
    )
    assert response.status_code == 422
    assert b"Please send a video" in response.content
    assert not HomeCheckin.objects.exists()


@pytest.mark.slow
def test_guided_video_is_measured_per_segment_reviewed_and_charted(
    patient_client, clinician_client, consented, protocol_video, xeomin_lot, clinician,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from protocol_clip import RESTING_LATEROCOLLIS, RESTING_ROTATION

    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            reverse("checkins:portal-new"),
            {"file": _video(protocol_video), "note": "Stiff since Tuesday"},
        )
    checkin = HomeCheckin.objects.get()
    assert response["Location"] == reverse("checkins:portal-detail", args=[checkin.pk])
    assert checkin.is_analysed, checkin.error_message
    # Resting posture from the neutral segment only, not the turns. The engine reads yaw of the
    # rendered head at ~0.6 of the truth (measured: -8.7° for -15°, 25° for 40°, 32° for 50°);
    # roll and pitch within 2°. The segmenting is what is tested here.
    assert RESTING_ROTATION < checkin.resting_rotation_deg < -5
    assert checkin.resting_laterocollis_deg == pytest.approx(RESTING_LATEROCOLLIS, abs=3)
    segments = checkin.segments
    assert 20 < segments["turn_left"]["range_deg"] <= 45
    assert 25 < segments["turn_right"]["range_deg"] <= 55
    assert segments["tilt_left"]["range_deg"] == pytest.approx(25, abs=5)
    assert segments["tilt_right"]["range_deg"] == pytest.approx(20, abs=5)
    assert segments["chin_down"]["range_deg"] == pytest.approx(25, abs=5)
    assert segments["chin_up"]["range_deg"] == pytest.approx(20, abs=5)
    assert all(not r["flags"] for r in segments.values()), segments
    assert segments["neutral"]["tremor"]["detected"] is False
    # The video is gone after analysis (default), the annotated still kept.
    assert not checkin.original and checkin.original_deleted_at is not None
    assert checkin.annotated
    # One annotated still per measured segment, at the moment the reading came from.
    stills = {s.segment: s for s in checkin.stills.all()}
    assert set(stills) == set(segments), stills
    assert 5.0 <= stills["turn_left"].t < 9.0 and 0.0 <= stills["neutral"].t < 5.0

    mine = patient_client.get(reverse("checkins:portal-detail", args=[checkin.pk]))
    assert b"not a diagnosis" in mine.content and b"to the right" in mine.content

    queue = clinician_client.get(reverse("checkins:review-queue"))
    assert b"Stiff since Tuesday" in queue.content
    detail = clinician_client.get(checkin.get_absolute_url())
    assert b"Stiff since Tuesday" in detail.content and b"annotated.png" in detail.content
    assert detail.content.count(b'class="still"') == len(stills)
    turn = clinician_client.get(reverse("checkins:still", args=[checkin.pk, "turn_left"]))
    assert turn.content.startswith(b"\x89PNG")
    still = clinician_client.get(reverse("checkins:annotated", args=[checkin.pk]))
    assert still.status_code == 200 and still["Content-Type"] == "image/png"
    assert still.content.startswith(b"\x89PNG")
    reads = AuditEvent.objects.filter(object_type="checkins.HomeCheckin", action="read")
    assert reads.count() >= 2

    clinician_client.post(reverse("checkins:mark-reviewed", args=[checkin.pk]))
    checkin.refresh_from_db()
    assert checkin.reviewed_at is not None
    assert (
        b"Stiff since Tuesday" not in clinician_client.get(reverse("checkins:review-queue")).content
    )

    _inject(checkin.patient, xeomin_lot, clinician, timezone.localdate() - timedelta(weeks=3))
    curve = clinician_client.get(reverse("checkins:wearing-off", args=[checkin.patient_id]))
    assert curve.status_code == 200 and b"<svg" in curve.content
    assert b"Resting head turn" in curve.content and b"Diary: pain" in curve.content


def test_other_patients_check_ins_answer_404(client, other_patient, patient):
    checkin = HomeCheckin.objects.create(
        patient=patient, recorded_at=timezone.now(), protocol_version="home-v1"
    )
    client.force_login(other_patient.user)
    assert client.get(reverse("checkins:portal-detail", args=[checkin.pk])).status_code == 404


def test_patients_cannot_reach_the_clinic_pages(patient_client, patient):
    for url in (reverse("checkins:review-queue"),
                reverse("checkins:wearing-off", args=[patient.pk])):  # fmt: skip
        assert patient_client.get(url).status_code in {302, 403, 404}


def test_missed_check_ins_follow_the_default_weekly_schedule(patient, xeomin_lot, clinician):
    from collis.checkins import record

    _inject(patient, xeomin_lot, clinician, timezone.localdate() - timedelta(weeks=4))
    missed = record.missed(patient, timezone.localdate())
    assert len(missed) == 2  # weeks 2 and 3 closed; week 4 is due today


def _inject(patient, lot, clinician, on):
    from collis.injections.models import InjectionSession
    from collis.patients.models import Visit

    visit = Visit.objects.create(patient=patient, clinician=clinician, kind=Visit.Kind.INJECTION,
                                 occurred_at=timezone.now() - timedelta(days=1))  # fmt: skip
    return InjectionSession.objects.create(
        patient=patient, visit=visit, product=lot.product, lot=lot, injected_on=on,
        dilution_units_per_ml=100, total_units=200,
    )  # fmt: skip
