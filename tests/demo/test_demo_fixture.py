"""The ``demo_data`` fixture replays the session's seeding; it must equal seeding in place."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def test_demo_data_is_what_seeding_makes(demo_data, settings):
    """Seeding again over the replayed clinic finds every row already there."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


def test_persona_created_after_the_demo_keeps_its_own_row(clinician_user, demo_data):
    """A persona requested before ``demo_data`` is not overwritten by a demo row."""
    from django.contrib.auth import get_user_model

    clinician_user.refresh_from_db()
    assert clinician_user.username == "t-clinician"
    assert get_user_model().objects.filter(username="t-clinician").count() == 1
