"""Choosing the language (issue #17): Accept-Language, the switcher, ?lang= links, the record."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from collis.lib.i18n import language_code_for

SRC = Path(settings.BASE_DIR)


def test_language_codes_from_codes_and_names():
    assert language_code_for("es-MX") == "es"
    assert language_code_for("Spanish") == "es"
    assert language_code_for("Español") == "es"
    assert language_code_for("English") == "en"
    assert language_code_for("fr") is None
    assert language_code_for("") is None


@pytest.mark.django_db
def test_first_visit_follows_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in body
    assert "Pedir una cita" in body
    assert response["Content-Language"] == "es"


@pytest.mark.django_db
def test_english_by_default(client):
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Book an appointment" in body


@pytest.mark.django_db
def test_switcher_is_a_form_on_every_page_and_sets_the_cookie(client):
    body = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in body
    assert 'name="language" value="es"' in body
    response = client.post(reverse("set_language"), {"language": "es", "next": "/conditions/"})
    assert response.status_code == 302
    assert response["Location"] == "/conditions/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Enfermedades" in client.get("/").content.decode()


@pytest.mark.django_db
def test_lang_link_sets_the_language_and_the_cookie(client):
    response = client.get("/?lang=es")
    assert "Pedir una cita" in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Pedir una cita" in client.get("/").content.decode()


@pytest.mark.django_db
def test_signed_in_patient_choice_is_saved_and_used_on_a_new_device(client, patient):
    client.force_login(patient.user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    patient.refresh_from_db()
    assert patient.preferred_language == "es"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert "Pedir una cita" in client.get("/").content.decode()


STAFF_PAGES = (
    "patients:patient-list",
    "scheduling:desk-calendar",
    "scheduling:desk-book",
    "scheduling:desk-recalls",
    "supply:dashboard",
    "supply:claims-day",
    "accounts:home",
    "accounts:security",
)


@pytest.mark.django_db
def test_staff_pages_work_in_spanish(client, login_staff, clinician_user, front_desk, patient):
    """Staff pages may stay English, but must not break for a staff member reading Spanish."""
    patient.preferred_language = "es"
    patient.save()
    opened = 0
    for user in (clinician_user, front_desk):
        login_staff(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        for name in STAFF_PAGES:
            response = client.get(reverse(name))
            assert response.status_code in (200, 403), (name, response.status_code)
            opened += response.status_code == 200
        response = client.get(reverse("patients:patient-detail", args=[patient.pk]))
        assert response.status_code in (200, 403, 404)
    assert opened >= 8


def _po_files() -> list[Path]:
    return sorted(SRC.glob("**/locale/es/LC_MESSAGES/django.po"))


def test_every_po_is_fully_translated_and_its_mo_is_current(tmp_path):
    """The .mo files are committed (decision in README); each must match its .po."""
    assert _po_files(), "no Spanish catalogues found"
    msgfmt = shutil.which("msgfmt")
    for po in _po_files():
        text = po.read_text(encoding="utf-8")
        fuzzy = re.findall(r"^#,.*\bfuzzy\b", text.split("\n\n", 1)[1], re.M)
        assert not fuzzy, f"fuzzy entries in {po}"
        body = text.split("\n\n", 1)[1] + "\n"
        assert 'msgstr ""\n\n' not in body + "\n", f"untranslated entries in {po}"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: run `make messages`"
        if msgfmt:
            fresh = tmp_path / "fresh.mo"
            subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po)], check=True)
            assert fresh.read_bytes() == mo.read_bytes(), f"{mo} is stale: run `make messages`"
