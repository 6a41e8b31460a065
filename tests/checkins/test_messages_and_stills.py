"""Issue #16 review: per-segment stills served to the right people, and in-app messages from
the review to the patient's portal. No video: the check-in is stored as an analysis leaves it."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from collis.audit.models import AuditEvent
from collis.checkins.models import CheckinMessage, CheckinStill, HomeCheckin


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((48, 64, 3), 90, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def checkin(patient):
    segments = {
        "neutral": {"rotation_deg": -12.0, "laterocollis_deg": 4.0, "flexion_deg": 1.0,
                    "tremor": {"detected": False}, "flags": [], "still_t": 2.0},
        "turn_left": {"axis": "rotation_deg", "range_deg": 40.0, "flags": [], "still_t": 7.0},
    }  # fmt: skip
    checkin = HomeCheckin.objects.create(
        patient=patient, recorded_at=timezone.now(), protocol_version="home-v1",
        result={"angles": {}}, segments=segments, resting_rotation_deg=-12.0,
        resting_laterocollis_deg=4.0, resting_flexion_deg=1.0,
    )  # fmt: skip
    for key, t in (("neutral", 2.0), ("turn_left", 7.0)):
        still = CheckinStill(checkin=checkin, segment=key, t=t)
        still.image.save(f"{key}.png", ContentFile(_png()), save=True)
    return checkin


@pytest.fixture
def clinician_client(login_staff, clinician_user, clinician):
    return login_staff(clinician_user, client=Client())


@pytest.fixture
def desk_client(login_staff, front_desk):
    return login_staff(front_desk, client=Client())


@pytest.fixture
def patient_client(patient):
    client = Client()
    client.force_login(patient.user)
    return client


def _read(response) -> bytes:
    return response.content


def test_one_still_per_measured_segment_on_the_review_and_in_the_portal(
    checkin, clinician_client, patient_client
):
    detail = clinician_client.get(checkin.get_absolute_url()).content.decode()
    for key in ("neutral", "turn_left"):
        assert reverse("checkins:still", args=[checkin.pk, key]) in detail
    assert detail.count('class="still"') == 2
    still = clinician_client.get(reverse("checkins:still", args=[checkin.pk, "turn_left"]))
    assert still.status_code == 200 and still["Content-Type"] == "image/png"
    assert still["Cache-Control"] == "private, no-store"
    assert _read(still).startswith(b"\x89PNG")
    assert (
        clinician_client.get(reverse("checkins:still", args=[checkin.pk, "chin_up"])).status_code
        == 404
    )

    mine = patient_client.get(reverse("checkins:portal-detail", args=[checkin.pk])).content.decode()
    assert reverse("checkins:portal-still", args=[checkin.pk, "neutral"]) in mine
    own = patient_client.get(reverse("checkins:portal-still", args=[checkin.pk, "neutral"]))
    assert own.status_code == 200 and _read(own).startswith(b"\x89PNG")
    reads = AuditEvent.objects.filter(
        object_type="checkins.HomeCheckin", object_id=str(checkin.pk), action="read",
        detail__file="still",
    )  # fmt: skip
    assert reads.count() == 2  # every read of a picture is audited (the 404 read nothing)


def test_stills_are_closed_to_the_front_desk_and_other_patients(
    checkin, desk_client, other_patient
):
    for url in (reverse("checkins:still", args=[checkin.pk, "neutral"]),
                checkin.get_absolute_url()):  # fmt: skip
        assert desk_client.get(url).status_code == 403
    other = Client()
    other.force_login(other_patient.user)
    assert (
        other.get(reverse("checkins:portal-still", args=[checkin.pk, "neutral"])).status_code == 404
    )


def test_anonymisation_erases_the_stills(
    checkin, private_media, django_capture_on_commit_callbacks
):
    from collis.checkins.actions import erase_patient_media

    files = [private_media / s.image.name for s in checkin.stills.all()]
    assert len(files) == 2 and all(f.exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        erase_patient_media(checkin.patient)
    assert not CheckinStill.objects.filter(checkin=checkin).exists()
    assert not any(f.exists() for f in files)


def test_clinician_messages_the_patient_who_reads_it_in_the_portal(
    checkin, clinician_client, patient_client, desk_client, other_patient, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    checkin.patient.email = "pat@example.com"
    checkin.patient.save(update_fields=["email"])
    send = reverse("checkins:message-send", args=[checkin.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(send, {"body": "Please book an earlier visit."})
    assert response["Location"] == checkin.get_absolute_url()
    # The patient hears by e-mail that a message waits; its text stays in the portal.
    [email] = mailoutbox
    assert email.to == ["pat@example.com"] and reverse("checkins:portal-list") in email.body
    assert "earlier visit" not in email.body
    message = CheckinMessage.objects.get()
    assert message.patient == checkin.patient and message.read_at is None
    assert AuditEvent.objects.filter(object_type="checkins.CheckinMessage", action="create",
                                     patient_id=checkin.patient_id).exists()  # fmt: skip
    review = clinician_client.get(checkin.get_absolute_url()).content
    assert b"Please book an earlier visit." in review and b"not read yet" in review

    portal = patient_client.get(reverse("checkins:portal-list")).content
    assert b"Messages from your clinic" in portal and b"Please book an earlier visit." in portal
    assert b"New" in portal
    message.refresh_from_db()
    assert message.read_at is not None
    assert AuditEvent.objects.filter(object_type="checkins.CheckinMessage", action="read",
                                     patient_id=checkin.patient_id).exists()  # fmt: skip
    detail = patient_client.get(reverse("checkins:portal-detail", args=[checkin.pk])).content
    assert b"Please book an earlier visit." in detail

    # Nobody else reads it: another patient, the front desk (no clinical check-ins at all).
    other = Client()
    other.force_login(other_patient.user)
    assert b"earlier visit" not in other.get(reverse("checkins:portal-list")).content
    assert desk_client.post(send, {"body": "from the desk"}).status_code == 403
    assert desk_client.get(checkin.get_absolute_url()).status_code == 403
    assert desk_client.get(reverse("checkins:review-queue")).status_code == 403
    assert CheckinMessage.objects.count() == 1


def test_a_blank_message_is_not_sent(checkin, clinician_client):
    send = reverse("checkins:message-send", args=[checkin.pk])
    clinician_client.post(send, {"body": "   "})
    assert not CheckinMessage.objects.exists()


def test_patient_list_flags_an_unreviewed_check_in_until_it_is_reviewed(
    checkin, clinician_client, django_assert_max_num_queries
):
    review = checkin.get_absolute_url()
    with django_assert_max_num_queries(20):
        html = clinician_client.get(reverse("patients:patient-list")).content.decode()
    assert f'<a href="{review}" class="list-flag">Home check-in to review</a>' in html
    clinician_client.post(reverse("checkins:mark-reviewed", args=[checkin.pk]))
    html = clinician_client.get(reverse("patients:patient-list")).content.decode()
    assert "Home check-in to review" not in html
