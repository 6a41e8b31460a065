"""Check-in fixtures: private media in a temporary MEDIA_ROOT and the rendered protocol clip."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def protocol_video() -> bytes:
    from protocol_clip import render_protocol_clip

    return render_protocol_clip().read_bytes()


@pytest.fixture
def consented(patient):
    from collis.checkins.actions import give_consent

    give_consent(None, patient=patient)
    return patient
