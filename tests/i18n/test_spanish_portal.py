"""Portal pieces a Spanish-reading patient sees (issue #17): the side-effect report, the visit
summary page and its PDF, the home programme's exercises, the check-in pages, the waitlist offer
page and the education links on a specialist's page."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from collis.diary.actions import ProgrammeLine, assign_home_programme
from collis.diary.library import EXERCISES_ES, ensure_exercise_library
from collis.diary.models import Exercise
from collis.injections.actions import record_injection_session
from collis.injections.dosing import PlannedInjection, Side
from collis.scales.actions import save_assessment
from collis.scales.twstrs import ITEMS

from .test_spanish_pages import english_words

BILATERAL = "Both sternocleidomastoids are injected: bilateral SCM injection raises the risk."


@pytest.fixture
def es_portal(client, patient):
    patient.preferred_language = "es"
    patient.save()
    client.force_login(patient.user)
    return client


@pytest.fixture
def injection_visit(patient, clinician, clinician_user, xeomin_lot):
    session = record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=xeomin_lot,
        units_product=xeomin_lot.product.code,
        injected_on=date(2026, 3, 2),
        dilution_units_per_ml=50,
        injections=[
            PlannedInjection("splenius_capitis", Side.LEFT, 60, sites=2),
            PlannedInjection("scm", Side.RIGHT, 30),
        ],
        clinician=clinician,
    )
    save_assessment(
        None,
        actor=clinician_user,
        patient=patient,
        scale="twstrs",
        answers={item.key: item.maximum // 2 for item in ITEMS},
        assessed_on=date(2026, 3, 2),
        complete=True,
        timepoint="baseline",
        visit=session.visit,
    )
    return session.visit


@pytest.mark.django_db
def test_side_effect_report_lists_symptoms_in_spanish(es_portal):
    page = es_portal.get(reverse("portal:side-effect-report")).content.decode()
    assert "Dificultad para tragar, o la comida o la bebida se me va por otro lado" in page
    assert "¿Qué le pasa?" in page and "¿Cuándo empezó?" in page
    assert "Trouble swallowing" not in page
    assert english_words(page) == []


@pytest.mark.django_db
def test_visit_summary_page_and_pdf_are_spanish(es_portal, patient, injection_visit):
    from collis.patients.models import Diagnosis

    Diagnosis.objects.create(
        patient=patient, colcap_pattern=[{"form": "torticaput", "side": "left"}]
    )
    session = injection_visit.injection_sessions.get()
    session.warnings = [{"code": "bilateral_scm", "message": BILATERAL, "source": "label"}]
    session.acknowledgement_reason = "Planned with the patient"
    session.save()
    page = es_portal.get(reverse("portal:visit-summary", args=[injection_visit.pk]))
    html = page.content.decode()
    assert "Resumen de la visita" in html
    assert "Diagnóstico: Distonía cervical: Torticaput hacia la izquierda" in html
    assert "Esplenio de la cabeza" in html and "Izquierdo" in html
    assert "La próxima inyección puede ponerse a partir del 25 de mayo de 2026." in html
    assert "Inicial (día de la inyección)" in html and "gravedad" in html
    assert "ambos esternocleidomastoideos" in html and BILATERAL not in html
    assert "Next injection" not in html and "Splenius capitis" not in html
    assert english_words(html.replace("Xeomin", "").replace("Planned with the patient", "")) == []

    pdf = es_portal.get(reverse("portal:visit-summary-pdf", args=[injection_visit.pk]))
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Resumen de la visita" in text
    assert "Esplenio de la cabeza" in text and "Esternocleidomastoideo" in text
    assert "25 de mayo de 2026" in text
    assert "Visit summary" not in text and "Next injection" not in text


@pytest.mark.django_db
def test_staff_summary_stays_english(client, clinician_user, injection_visit):
    from collis_testing import sign_in_with_second_factor

    session = injection_visit.injection_sessions.get()
    session.warnings = [{"code": "bilateral_scm", "message": BILATERAL, "source": "label"}]
    session.save()
    sign_in_with_second_factor(client, clinician_user)
    html = client.get(reverse("patients:visit-summary", args=[injection_visit.pk])).content.decode()
    assert "Splenius capitis" in html and "Next injection due from 2026-05-25" in html
    assert BILATERAL in html  # the acknowledged warning, whole


@pytest.mark.django_db
def test_home_programme_shows_the_exercises_in_spanish(es_portal, patient, clinician):
    ensure_exercise_library()
    chin = Exercise.objects.get(slug="chin-tuck")
    heat = Exercise.objects.get(slug="heat-pack")
    assign_home_programme(
        None,
        actor=None,
        patient=patient,
        assigned_by=clinician,
        starts_on=date.today() - timedelta(days=3),
        lines=[ProgrammeLine(chin, "2 veces al día", ""), ProgrammeLine(heat, "por la noche", "")],
    )
    html = es_portal.get(reverse("portal:programme")).content.decode()
    for slug in ("chin-tuck", "heat-pack"):
        name, instructions, caution = EXERCISES_ES[slug]
        assert name in html and instructions in html and caution in html
    assert "Chin tuck" not in html and "Hold 5 seconds" not in html
    assert english_words(html) == []

    # English readers keep the English text.
    es_portal.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = es_portal.get(reverse("portal:programme")).content.decode()
    assert "Chin tuck" in html and "Meter la barbilla" not in html


@pytest.mark.django_db
def test_an_edited_english_exercise_is_not_paired_with_the_old_translation():
    from collis.diary.library import fill_spanish

    ensure_exercise_library()
    Exercise.objects.update(name_es="", instructions_es="", caution_es="")
    chin = Exercise.objects.get(slug="chin-tuck")
    chin.instructions = "The clinic's own wording."
    chin.save()
    assert fill_spanish(chin) is False
    side = Exercise.objects.get(slug="side-bend")
    assert fill_spanish(side) is True and side.name_es == "Inclinación lateral"


@pytest.mark.django_db
def test_checkin_pages_are_spanish(es_portal):
    from collis.checkins.actions import give_consent
    from collis.checkins.models import HomeRecordingConsent

    html = es_portal.get(reverse("checkins:portal-consent")).content.decode()
    assert "Acepto grabar en casa vídeos cortos" in html
    assert english_words(html) == []
    es_portal.post(reverse("checkins:portal-consent"), {"agree": "1"})
    # The record keeps the words the patient agreed to, in their language.
    assert HomeRecordingConsent.objects.get().statement.startswith("Acepto grabar")
    assert give_consent  # imported: the action the view calls
    for name in ("checkins:portal-list", "checkins:portal-new"):
        html = es_portal.get(reverse(name)).content.decode()
        assert english_words(html) == [], (name, english_words(html))
    html = es_portal.get(reverse("checkins:portal-new")).content.decode()
    assert "Siéntese quieto y mire al frente" in html  # the recorder's timed prompts
    words = json.loads(re.search(r'id="checkin-words"[^>]*>(.*?)</script>', html).group(1))
    assert words["camera_on"].startswith("Cámara encendida.")  # the recorder script's words


@pytest.mark.django_db
def test_specialist_page_links_education_pages_by_their_spanish_titles(client, spanish_clinic):
    from collis.education.models import Page

    clinician = spanish_clinic["clinician"]
    page = Page.objects.create(
        slug="cervical-dystonia", title="Cervical dystonia", summary="About it.", body="Text."
    )
    page.related_providers.add(clinician)
    html = client.get(
        reverse("providers:clinician-detail", args=[clinician.slug]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Distonía cervical (tortícolis espasmódica)" in html
    assert ">Cervical dystonia<" not in html


@pytest.mark.django_db
def test_the_self_rated_diary_items_are_spanish(es_portal):
    """Question text, answer options and instructions of the items a patient rates (the
    clinic's own translation [U]; see diary/forms.py)."""
    html = es_portal.get(reverse("portal:diary-create")).content.decode()
    for text in (
        "¿Cómo se siente hoy?",
        "tirón o el giro",  # pulling or turning, 0 none – 10 worst
        "¿Cuánto dolor?",
        "Temblor de la cabeza",
        "Ninguno",
        "Leve",
        "Moderado",
        "Grave",
    ):
        assert text in html, text
    assert english_words(html) == []


@pytest.mark.django_db
def test_answers_given_in_spanish_reach_staff_in_english(
    es_portal, injection_visit, client, login_staff, clinician_user
):
    """The patient reports in Spanish; the clinic reads the same answers in English."""
    response = es_portal.post(
        reverse("portal:side-effect-report"),
        {"symptoms": ["dysphagia", "ptosis"], "note": "Me cuesta tragar"},
    )
    assert response.status_code == 200
    assert "Gracias" in response.content.decode() or "Llame" in response.content.decode()
    login_staff(clinician_user)
    html = client.get(reverse("injections:side-effect-triage")).content.decode()
    assert "Swallowing difficulty (dysphagia)" in html and "Drooping eyelid (ptosis)" in html


@pytest.mark.django_db
def test_two_factor_pages_and_their_errors_are_spanish(es_portal):
    page = es_portal.get(reverse("accounts:two-factor-setup")).content.decode()
    assert "Configurar el inicio de sesión en dos pasos" in page
    assert 'aria-label="Código QR para su aplicación de autenticación"' in page
    assert english_words(page) == []
    wrong = es_portal.post(reverse("accounts:two-factor-setup"), {"token": "000000"})
    assert "Ese código no coincide" in wrong.content.decode()
    assert english_words(wrong.content.decode()) == []


@pytest.mark.django_db
def test_a_photo_or_a_bad_file_sent_as_a_checkin_is_refused_in_spanish(
    es_portal, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    es_portal.post(reverse("checkins:portal-consent"), {"agree": "1"})
    buffer = BytesIO()
    Image.new("RGB", (320, 240), (120, 100, 90)).save(buffer, "JPEG")
    photo = SimpleUploadedFile("cara.jpg", buffer.getvalue(), content_type="image/jpeg")
    page = es_portal.post(reverse("checkins:portal-new"), {"file": photo}).content.decode()
    assert "Envíe un vídeo, no una foto" in page
    # The upload checks' own refusals (lib/uploads.py) too, with their figures.
    text = SimpleUploadedFile("nota.mp4", b"no es un video", content_type="video/mp4")
    page = es_portal.post(reverse("checkins:portal-new"), {"file": text}).content.decode()
    assert "Este archivo no es un/a foto (JPEG, PNG, WebP o HEIC) o vídeo" in page


@pytest.mark.django_db
def test_a_failed_checkin_says_why_in_spanish(es_portal, patient):
    from django.utils import timezone

    from collis.checkins.jobs import NO_FACE
    from collis.checkins.models import HomeCheckin

    checkin = HomeCheckin.objects.create(
        patient=patient,
        recorded_at=timezone.now(),
        protocol_version="home-v1",
        error_message=NO_FACE,
    )
    page = es_portal.get(reverse("checkins:portal-detail", args=[checkin.pk])).content.decode()
    assert "No pudimos ver su cara." in page and "No se pudo analizar" in page
    assert english_words(page) == []
    status = es_portal.get(reverse("checkins:portal-status", args=[checkin.pk])).json()
    assert status["note"].startswith("No pudimos ver su cara.")
    assert status["label"] == "No se pudo analizar"


@pytest.mark.django_db
def test_the_demo_patients_charts_and_home_are_spanish(client, demo_data):
    """With the demo clinic's data: chart titles, legends, axes, the cycle summary, the diary
    and the programme in Spanish (what the clinic typed is taken out first)."""
    from collis.diary.models import HomeProgramme, ProgrammeItem
    from collis.patients.models import Patient
    from collis.providers.models import Clinic, Location
    from collis.scheduling.models import AppointmentType

    patient = Patient.objects.get(user__username="patient")
    Patient.objects.filter(pk=patient.pk).update(preferred_language="es")
    typed = [c.email for c in Clinic.objects.all()]
    typed += [loc.name for loc in Location.objects.all()]
    typed += [kind.name for kind in AppointmentType.objects.all()]
    typed += [p.notes for p in HomeProgramme.objects.filter(patient=patient)]
    for item in ProgrammeItem.objects.filter(programme__patient=patient):
        typed += [item.frequency, item.dose, item.personal_note]
    typed += [e.note for e in patient.diary_entries.all()]
    client.force_login(patient.user)
    for name in ("portal:charts", "portal:home", "portal:diary-list", "portal:programme"):
        html = client.get(reverse(name)).content.decode()
        assert '<html lang="es">' in html, name
        for text in sorted(filter(None, typed), key=len, reverse=True):
            html = html.replace(text, " ")
        left = english_words(html)
        assert left == [], (name, left)
