"""Clinician workspace: diagnosis, visits, timeline and the visit summary (HTML and PDF)."""

from datetime import date, datetime
from io import BytesIO

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from collis.injections.actions import record_injection_session
from collis.injections.dosing import PlannedInjection, Side
from collis.patients.models import Diagnosis, Visit
from collis.scales.actions import save_assessment
from collis.scales.twstrs import ITEMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, clinician_user, clinician):
    sign_in_with_second_factor(client, clinician_user)
    return client


def test_diagnosis_saves_the_col_cap_pattern(signed_in, patient, clinician):
    response = signed_in.post(
        reverse("patients:diagnosis-edit", args=[patient.pk]),
        {
            "condition": "Cervical dystonia",
            "pattern_torticaput": "left",
            "pattern_laterocaput": "left",
            "pattern_retrocollis": "present",
            "primary_form": "torticaput",
            "onset_date": "2019-05-01",
            "has_tremor": "true",
            "sensory_trick": "touching the chin",
            "treating_clinician": clinician.pk,
        },
    )
    assert response.status_code == 302
    diagnosis = Diagnosis.objects.get(patient=patient)
    assert diagnosis.colcap_pattern == [
        {"form": "torticaput", "side": "left"},
        {"form": "laterocaput", "side": "left"},
        {"form": "retrocollis", "side": ""},
    ]
    assert diagnosis.has_tremor is True
    assert (
        diagnosis.pattern_display == "Torticaput to the left, Laterocaput to the left, Retrocollis"
    )


def test_primary_form_must_be_present(signed_in, patient):
    response = signed_in.post(
        reverse("patients:diagnosis-edit", args=[patient.pk]),
        {
            "condition": "Cervical dystonia",
            "pattern_torticaput": "left",
            "primary_form": "anterocollis",
        },
    )
    assert response.status_code == 200
    assert "must be one of the forms present" in response.content.decode()
    assert not Diagnosis.objects.filter(patient=patient).exists()


def test_record_a_visit_and_its_notes(signed_in, patient, clinician):
    response = signed_in.post(
        reverse("patients:visit-create", args=[patient.pk]),
        {
            "occurred_at": "2026-03-02T09:30",
            "kind": "injection",
            "clinician": clinician.pk,
            "notes": "Plan",
        },
    )
    visit = Visit.objects.get(patient=patient)
    assert response["Location"] == visit.get_absolute_url()
    signed_in.post(visit.get_absolute_url(), {"notes": "Doing well"})
    visit.refresh_from_db()
    assert visit.notes == "Doing well"


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
    session.visit.notes = "Internal note for colleagues"
    session.visit.save()
    return session.visit


def test_timeline_shows_visits_injections_and_scores(signed_in, patient, injection_visit):
    response = signed_in.get(reverse("patients:patient-detail", args=[patient.pk]))
    html = response.content.decode()
    assert "Xeomin 90 units" in html
    assert "TWSTRS (baseline)" in html
    assert 'role="img"' in html  # the TWSTRS chart


def test_visit_summary_lists_muscles_units_scores_and_next_due(signed_in, injection_visit):
    html = signed_in.get(
        reverse("patients:visit-summary", args=[injection_visit.pk])
    ).content.decode()
    assert "Splenius capitis" in html and "60" in html
    assert "Next injection due from 2026-05-25" in html  # 84 days after 2026-03-02
    assert "TWSTRS" in html and "Internal note for colleagues" in html


def test_visit_summary_pdf_is_a_valid_pdf_with_the_same_content(signed_in, injection_visit):
    response = signed_in.get(reverse("patients:visit-summary-pdf", args=[injection_visit.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Visit summary" in text
    assert "Splenius capitis" in text and "Sternocleidomastoid" in text
    assert "2026-05-25" in text
    assert "Tester" in text


def test_posture_chart_has_an_empty_state(signed_in, patient):
    html = signed_in.get(reverse("patients:patient-detail", args=[patient.pk])).content.decode()
    assert "No posture analyses recorded yet." in html


def test_patient_list_search(signed_in, patient, other_patient):
    html = signed_in.get(reverse("patients:patient-list"), {"q": "Tester"}).content.decode()
    assert "Tester, Pat" in html and "Other, Olga" not in html


def test_visit_time_is_kept(injection_visit):
    assert timezone.localtime(injection_visit.occurred_at).date() == date(2026, 3, 2)
    assert isinstance(injection_visit.occurred_at, datetime)


def test_record_page_queries_do_not_grow_with_history(
    signed_in, patient, clinician, clinician_user, xeomin_lot
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("patients:patient-detail", args=[patient.pk])

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(url).status_code == 200
        return len(queries)

    def add_session(on):
        record_injection_session(
            None,
            actor=clinician_user,
            patient=patient,
            lot=xeomin_lot,
            units_product=xeomin_lot.product.code,
            injected_on=on,
            dilution_units_per_ml=50,
            injections=[PlannedInjection("trapezius", Side.LEFT, 40)],
            clinician=clinician,
        )

    add_session(date(2025, 1, 6))
    one = count_queries()
    add_session(date(2025, 4, 7))
    add_session(date(2025, 7, 7))
    assert count_queries() == one
