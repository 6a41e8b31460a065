"""Toxin care around the sessions: screening, the portal side-effect loop, outcome measures,
GAS goals, antibody tests and the cycle-by-cycle response page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse

from collis.injections import actions, safety
from collis.injections.dosing import PlannedInjection, Side
from collis.injections.errors import UnacknowledgedWarningsError
from collis.injections.models import (
    AdverseEvent,
    CycleOutcome,
    GasGoal,
    InjectionSession,
    Screening,
    SideEffectReport,
)

pytestmark = pytest.mark.django_db
FIRST = date(2026, 1, 5)


@pytest.fixture
def session(clinician_user, clinician, patient, xeomin_lot):
    return actions.record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=xeomin_lot,
        units_product=xeomin_lot.product.code,
        injected_on=FIRST,
        dilution_units_per_ml=50,
        injections=[
            PlannedInjection("scm", Side.RIGHT, 40),
            PlannedInjection("splenius_capitis", Side.LEFT, 60),
        ],
        clinician=clinician,
    )


@pytest.fixture
def signed_in(client, clinician_user, clinician):
    sign_in_with_second_factor(client, clinician_user)
    return client


@pytest.fixture
def portal(client, patient):
    sign_in_with_second_factor(client, patient.user)
    return client


def test_screening_is_stored_and_toxin_naive_start_checked(
    clinician_user, clinician, patient, xeomin_lot
):
    screening = safety.ScreeningAnswers(
        toxin_naive=True, answers={"anticoagulants": True, "pregnant_or_breastfeeding": False}
    )
    kwargs = {
        "actor": clinician_user,
        "patient": patient,
        "lot": xeomin_lot,
        "units_product": xeomin_lot.product.code,
        "injected_on": FIRST,
        "dilution_units_per_ml": 50,
        "injections": [PlannedInjection("splenius_capitis", Side.LEFT, 160)],
        "clinician": clinician,
        "screening": screening,
    }
    with pytest.raises(UnacknowledgedWarningsError) as caught:
        actions.record_injection_session(None, **kwargs)
    assert sorted(str(w.code) for w in caught.value.warnings) == [
        "muscle_dose",
        "screening",
        "toxin_naive_start",
    ]
    session = actions.record_injection_session(
        None,
        **kwargs,
        acknowledged=["muscle_dose", "screening", "toxin_naive_start"],
        acknowledgement_reason="Discussed; large splenius",
    )
    stored = Screening.objects.get(session=session)
    assert stored.toxin_naive and stored.answers["anticoagulants"] is True
    assert stored.positives() == [safety.SCREENING_QUESTIONS["anticoagulants"].label]


def test_breathing_trouble_from_the_portal_says_call_emergency_services(portal, session):
    response = portal.post(
        reverse("portal:side-effect-report"),
        {"symptoms": ["breathing_difficulty"], "note": "short of breath"},
    )
    html = response.content.decode()
    assert "Call emergency services now" in html and "911" in html
    report = SideEffectReport.objects.get()
    assert report.urgency == "emergency" and report.session == session


def test_form_page_always_shows_the_emergency_advice(portal, session):
    html = portal.get(reverse("portal:side-effect-report")).content.decode()
    assert "Call emergency services" in html


def test_ptosis_goes_to_the_triage_list_with_time_and_doses(
    portal, client, session, clinician_user
):
    portal.post(reverse("portal:side-effect-report"), {"symptoms": ["ptosis"]})
    report = SideEffectReport.objects.get()
    assert report.urgency == "triage"
    report.reported_at = report.reported_at.replace(year=2026, month=1, day=19)
    report.save()
    client.logout()
    sign_in_with_second_factor(client, clinician_user)
    html = client.get(reverse("injections:side-effect-triage")).content.decode()
    assert "Drooping eyelid" in html and ">14<" in html
    assert "Sternocleidomastoid (SCM) right 40 U" in html
    client.post(
        reverse("injections:side-effect-review", args=[report.pk]),
        {"review_note": "Phoned", "record_as": "ptosis", "severity": "mild"},
    )
    report.refresh_from_db()
    assert report.status == "reviewed"
    event = AdverseEvent.objects.get()
    assert event.kind == "ptosis" and event.session == session


def test_emergencies_come_first_in_the_triage_list(patient, clinician_user, session):
    actions.report_side_effect(None, actor=patient.user, patient=patient, symptoms=["other"])
    actions.report_side_effect(
        None, actor=patient.user, patient=patient, symptoms=["dysphagia"], severe=True
    )
    from django.utils import timezone

    from collis.injections.triage import triage_rows

    rows = triage_rows(timezone.now())
    assert [r.report.urgency for r in rows] == ["emergency", "triage"]


def test_unknown_symptoms_are_refused(patient):
    with pytest.raises(ValueError):
        actions.report_side_effect(None, actor=None, patient=patient, symptoms=["sneezing"])
    with pytest.raises(ValueError):
        actions.report_side_effect(None, actor=None, patient=patient, symptoms=[])


def test_front_desk_cannot_see_the_triage_list(client, front_desk):
    sign_in_with_second_factor(client, front_desk)
    assert client.get(reverse("injections:side-effect-triage")).status_code in (403, 404)


def test_outcome_measures_are_range_checked(session, clinician_user):
    with pytest.raises(ValueError, match="PGI-C must be 1–7"):
        actions.record_cycle_outcome(
            None, actor=clinician_user, session=session, assessed_on=FIRST, pgi_c=8
        )
    with pytest.raises(ValueError, match="after the injection"):
        actions.record_cycle_outcome(
            None, actor=clinician_user, session=session, assessed_on=FIRST - timedelta(days=1)
        )
    outcome = actions.record_cycle_outcome(
        None,
        actor=clinician_user,
        session=session,
        assessed_on=FIRST + timedelta(days=35),
        cgi_c=2,
        pgi_c=2,
        pain_nrs_peak=3,
        cdip58_score=Decimal("41.5"),
    )
    assert CycleOutcome.objects.get() == outcome


def test_outcome_and_goals_from_the_session_page(signed_in, session):
    signed_in.post(
        reverse("injections:cycle-outcome-edit", args=[session.pk]),
        {"assessed_on": "2026-02-09", "cgi_c": "2", "pgi_c": "3", "pain_nrs_peak": "4"},
    )
    signed_in.post(
        reverse("injections:gas-goal-create", args=[session.pk]),
        {"description": "Read for 30 minutes", "weight": "1", "baseline_level": "-1"},
    )
    goal = GasGoal.objects.get()
    signed_in.post(
        reverse("injections:gas-goal-edit", args=[session.pk, goal.pk]),
        {
            "description": "Read for 30 minutes",
            "weight": "1",
            "baseline_level": "-1",
            "attained_level": "1",
        },
    )
    html = signed_in.get(session.get_absolute_url()).content.decode()
    assert "CGI-C 2 · PGI-C 3 · pain NRS 4" in html
    assert "T-score 60.0" in html and "Read for 30 minutes" in html


def test_gas_levels_are_checked(session, clinician_user):
    with pytest.raises(ValueError):
        actions.set_gas_goal(
            None, actor=clinician_user, session=session, description="x", attained_level=3
        )
    with pytest.raises(ValueError):
        actions.set_gas_goal(
            None, actor=clinician_user, session=session, description="x", baseline_level=1
        )


def test_response_page_shows_doses_beside_twstrs_and_records_antibodies(
    signed_in, patient, session, clinician_user
):
    actions.record_cycle_outcome(
        None, actor=clinician_user, session=session, assessed_on=FIRST + timedelta(days=35), pgi_c=5
    )
    url = reverse("patients:toxin-response", args=[patient.pk])
    signed_in.post(
        url,
        {"tested_on": "2026-03-01", "toxin_type": "A", "method": "mpa", "result": "positive"},
    )
    html = signed_in.get(url).content.decode()
    assert "Sternocleidomastoid (SCM) right: 40" in html
    assert "Too few rated cycles" in html
    assert "Dose per muscle across cycles" in html
    assert "Positive (neutralising antibodies)" in html
    assert patient.antibody_tests.count() == 1


def test_switch_reason_is_stored(clinician_user, clinician, patient, session):
    from collis.injections.models import ToxinLot, ToxinProduct

    lot = ToxinLot.objects.create(
        product=ToxinProduct.objects.get(code="abobotulinumtoxinA"),
        lot_number="DYS-1",
        vial_size_units=500,
        expires_on=date(2099, 1, 1),
    )
    switched = actions.record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=lot,
        units_product=lot.product.code,
        injected_on=FIRST + timedelta(days=90),
        dilution_units_per_ml=200,
        injections=[PlannedInjection("splenius_capitis", Side.LEFT, 200)],
        clinician=clinician,
        switch_reason="secondary_non_response",
    )
    assert InjectionSession.objects.get(pk=switched.pk).switch_reason == "secondary_non_response"


def test_new_records_appear_in_the_timeline(patient, session, clinician_user):
    from collis.chart.timeline import build_timeline

    actions.record_adverse_event(
        None,
        actor=clinician_user,
        session=session,
        kind="voice_change",
        severity="mild",
        reported_on=FIRST + timedelta(days=7),
    )
    actions.report_side_effect(None, actor=patient.user, patient=patient, symptoms=["ptosis"])
    actions.record_cycle_outcome(
        None, actor=clinician_user, session=session, assessed_on=FIRST + timedelta(days=35), pgi_c=2
    )
    actions.record_antibody_test(
        None,
        actor=clinician_user,
        patient=patient,
        tested_on=FIRST + timedelta(days=60),
        toxin_type="A",
        method="elisa",
        result="negative",
    )
    kinds = {e.kind for e in build_timeline(patient)}
    assert {"adverse", "report", "outcome", "antibody"} <= kinds


def test_toxin_records_are_in_the_patients_data_export(patient, session, clinician_user):
    from collis.patients import privacy

    actions.record_adverse_event(
        None,
        actor=clinician_user,
        session=session,
        kind="dysphagia",
        severity="mild",
        reported_on=FIRST + timedelta(days=9),
        muscles=["scm"],
    )
    actions.report_side_effect(None, actor=patient.user, patient=patient, symptoms=["ptosis"])
    actions.record_cycle_outcome(
        None, actor=clinician_user, session=session, assessed_on=FIRST + timedelta(days=35), pgi_c=2
    )
    section = privacy.export_patient_data(patient)["sections"]["injections"]
    exported = section["sessions"][0]
    assert exported["total_units"] == 100 and exported["injections"][0]["muscle"] == "scm"
    assert exported["adverse_events"][0] == {
        "kind": "dysphagia",
        "severity": "mild",
        "onset_days": None,
        "duration_days": None,
        "reported_on": "2026-01-14",
        "muscles": ["scm"],
        "note": "",
    }
    assert exported["outcome"]["pgi_c"] == 2
    assert section["side_effect_reports"][0]["symptoms"] == ["ptosis"]


def test_anonymising_erases_toxin_free_text(patient, session, administrator):
    from collis.patients.actions import anonymise_patient

    InjectionSession.objects.filter(pk=session.pk).update(notes="Pat's daughter drove her")
    actions.report_side_effect(
        None, actor=patient.user, patient=patient, symptoms=["other"], note="call me on 555"
    )
    anonymise_patient(patient, administrator, "request")
    assert InjectionSession.objects.get(pk=session.pk).notes == ""
    assert SideEffectReport.objects.get().note == ""
    assert InjectionSession.objects.get(pk=session.pk).total_units == 100


def test_visit_summary_and_pdf_show_screening_events_outcome_and_goals(
    signed_in, clinician_user, clinician, patient, xeomin_lot
):
    from io import BytesIO

    from pypdf import PdfReader

    session = actions.record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=xeomin_lot,
        units_product=xeomin_lot.product.code,
        injected_on=FIRST,
        dilution_units_per_ml=50,
        injections=[PlannedInjection("splenius_capitis", Side.LEFT, 60)],
        clinician=clinician,
        screening=safety.ScreeningAnswers(toxin_naive=False, answers={"anticoagulants": True}),
        acknowledged=["screening"],
        acknowledgement_reason="On apixaban; pressure after injection",
    )
    actions.record_adverse_event(
        None,
        actor=clinician_user,
        session=session,
        kind="voice_change",
        severity="mild",
        reported_on=FIRST + timedelta(days=6),
    )
    actions.record_cycle_outcome(
        None, actor=clinician_user, session=session, assessed_on=FIRST + timedelta(days=35), pgi_c=2
    )
    actions.set_gas_goal(
        None,
        actor=clinician_user,
        session=session,
        description="Drive 20 minutes",
        attained_level=0,
    )
    html = signed_in.get(
        reverse("patients:visit-summary", args=[session.visit_id])
    ).content.decode()
    pdf = signed_in.get(reverse("patients:visit-summary-pdf", args=[session.visit_id])).content
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    for content in (html, text):
        assert "Blood thinners" in content
        assert "Voice change" in content
        assert "PGI-C 2" in content
        assert "Drive 20 minutes" in content


def test_the_plan_shows_recent_adverse_events_beside_it(
    signed_in, patient, session, clinician_user
):
    actions.record_adverse_event(
        None,
        actor=clinician_user,
        session=session,
        kind="dysphagia",
        severity="moderate",
        reported_on=FIRST + timedelta(days=10),
    )
    html = signed_in.get(
        reverse("injections:session-create", args=[patient.pk]), {"start": "copy"}
    ).content.decode()
    assert "Adverse events after recent sessions" in html
    assert (
        "Swallowing difficulty (dysphagia) (moderate) after Sternocleidomastoid (SCM) right 40 U"
        in (html)
    )
