"""What issue #16 added to the patient's check-in pages, read in Spanish (issue #17): the
clinic's messages, the per-step pictures, the live framing guide's words and the e-mail that
says a message waits."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from collis.checkins.models import CheckinStill, HomeCheckin

from .test_spanish_pages import english_words

ROOT = Path(__file__).resolve().parents[2]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((48, 64, 3), 90, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def es_patient_client(patient):
    patient.preferred_language = "es"
    patient.email = "pat@example.com"
    patient.save()
    client = Client()
    client.force_login(patient.user)
    return client


@pytest.fixture
def checkin(patient):
    segments = {
        "neutral": {"rotation_deg": -12.0, "laterocollis_deg": 4.0, "flexion_deg": 1.0,
                    "tremor": {"detected": False},
                    "flags": ["face seen in fewer than half of the frames"], "still_t": 2.0},
    }  # fmt: skip
    checkin = HomeCheckin.objects.create(
        patient=patient, recorded_at=timezone.now(), protocol_version="home-v1",
        result={"angles": {}}, segments=segments, resting_rotation_deg=-12.0,
        resting_laterocollis_deg=4.0, resting_flexion_deg=1.0,
    )  # fmt: skip
    still = CheckinStill(checkin=checkin, segment="neutral", t=2.0)
    still.image.save("neutral.png", ContentFile(_png()), save=True)
    return checkin


@pytest.mark.django_db
def test_messages_and_pictures_read_in_spanish(
    checkin, es_patient_client, login_staff, clinician_user, clinician, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    staff = login_staff(clinician_user, client=Client())
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("checkins:message-send", args=[checkin.pk]),
            {"body": "Pida una cita antes, por favor."},
        )
    # The e-mail that a message waits: in the patient's language, its link too.
    [email] = mailoutbox
    assert email.subject == "Un mensaje de su clínica"
    assert email.body.startswith("Hola, ") and "Inicie sesión para leerlo" in email.body
    assert english_words(email.body.split("http")[0]) == []

    listing = es_patient_client.get(reverse("checkins:portal-list")).content.decode()
    assert "Mensajes de su clínica" in listing and "Nuevo" in listing
    assert "sobre su control del" in listing
    assert english_words(listing) == [], english_words(listing)

    detail = es_patient_client.get(
        reverse("checkins:portal-detail", args=[checkin.pk])
    ).content.decode()
    assert 'alt="Imagen de su vídeo: ' in detail
    assert "Mensajes de su clínica" in detail
    assert english_words(detail) == [], english_words(detail)


@pytest.mark.django_db
def test_the_framing_guide_speaks_spanish(es_patient_client, patient):
    from collis.checkins.actions import give_consent

    give_consent(None, patient=patient)
    html = es_patient_client.get(reverse("checkins:portal-new")).content.decode()
    words = json.loads(re.search(r'id="checkin-words"[^>]*>(.*?)</script>', html).group(1))
    framing = {k: v for k, v in words.items() if k.startswith("framing_")}
    # Every verdict checkin.js can show has its Spanish words (it falls back to English).
    script = (ROOT / "src/collis/checkins/static/checkins/checkin.js").read_text()
    assert set(re.findall(r'w\("(framing_[a-z_]+)"', script)) == set(framing)
    assert framing["framing_ok"] == "Bien: su cara está dentro del encuadre."
    for text in framing.values():
        assert english_words(text) == [], text
