"""Recordings fixtures: private media in a temporary MEDIA_ROOT, a visit, synthetic photos.

Photos come from scikit-image's public-domain astronaut (see tests/posture/synthetic_media.py).
"""

from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from skimage import data


def jpeg_bytes(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def astronaut_jpeg() -> bytes:
    return jpeg_bytes(data.astronaut())


@pytest.fixture(scope="session")
def faceless_jpeg() -> bytes:
    """A grey gradient with no face in it, big enough to pass the upload checks."""
    ramp = np.tile(np.linspace(60, 200, 320, dtype=np.uint8), (240, 1))
    return jpeg_bytes(np.dstack([ramp, ramp, ramp]))


@pytest.fixture
def upload():
    """``upload(content, name)``: an uploaded file as a view or action receives it."""

    def make(content: bytes, name: str = "posture.jpg", content_type: str = "image/jpeg"):
        return SimpleUploadedFile(name, content, content_type=content_type)

    return make


@pytest.fixture
def visit(patient, clinician):
    from collis.patients.models import Visit

    return Visit.objects.create(
        patient=patient,
        clinician=clinician,
        occurred_at=timezone.now() - timedelta(hours=1),
        kind=Visit.Kind.INJECTION,
    )


@pytest.fixture
def analysed(visit, clinician_user, astronaut_jpeg, upload, django_capture_on_commit_callbacks):
    """A recording of the visit whose analysis ran (inline, JOBS_BACKEND "sync")."""
    from collis.recordings.actions import upload_recording

    with django_capture_on_commit_callbacks(execute=True):
        recording = upload_recording(
            None,
            actor=clinician_user,
            visit=visit,
            file=upload(astronaut_jpeg),
            mirrored=False,
            consent_confirmed=True,
        )
    recording.refresh_from_db()
    return recording


@pytest.fixture
def clinician_client(client, login_staff, clinician_user):
    return login_staff(clinician_user)
