"""A whole injection visit in the workspace: plan, warnings, acknowledgement, follow-up."""

from datetime import date, timedelta

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse

from collis.injections.actions import record_injection_session
from collis.injections.dosing import PlannedInjection, Side
from collis.injections.models import (
    AdverseEvent,
    CycleReport,
    InjectionSession,
    ToxinLot,
    ToxinProduct,
)
from collis.patients.models import Diagnosis

pytestmark = pytest.mark.django_db
FIRST = date(2026, 1, 5)


@pytest.fixture
def signed_in(client, clinician_user, clinician):
    sign_in_with_second_factor(client, clinician_user)
    return client


@pytest.fixture
def earlier_session(clinician_user, clinician, patient, xeomin_lot):
    return record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=xeomin_lot,
        units_product=xeomin_lot.product.code,
        injected_on=FIRST,
        dilution_units_per_ml=50,
        injections=[
            PlannedInjection("splenius_capitis", Side.LEFT, 60, sites=2, guidance="emg"),
            PlannedInjection("scm", Side.RIGHT, 30),
        ],
        clinician=clinician,
    )


def session_post(lot, clinician, on, rows, **extra):
    data = {
        "injected_on": on.isoformat(),
        "lot": lot.pk,
        "dilution_units_per_ml": "50",
        "clinician": clinician.pk,
        "notes": "",
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    for n, (muscle, side, units) in enumerate(rows):
        data |= {
            f"form-{n}-muscle": muscle,
            f"form-{n}-side": side,
            f"form-{n}-units": units,
            f"form-{n}-sites": "1",
            f"form-{n}-guidance": "landmarks",
        }
    return {**data, **extra}


def test_too_early_session_shows_the_warning_then_saves_with_a_reason(
    signed_in, patient, clinician, xeomin_lot, earlier_session
):
    url = reverse("injections:session-create", args=[patient.pk])
    rows = [("splenius_capitis", "left", "60"), ("", "left", "")]
    early = FIRST + timedelta(days=60)
    response = signed_in.post(url, session_post(xeomin_lot, clinician, early, rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only 60 days since the last toxin session on 2026-01-05" in html
    assert 'name="acknowledged" value="interval"' in html
    assert "give your reason" in html
    assert InjectionSession.objects.count() == 1

    confirm = session_post(
        xeomin_lot,
        clinician,
        early,
        rows,
        acknowledged="interval",
        acknowledgement_reason="Effect wore off at week 6",
    )
    response = signed_in.post(url, confirm)
    session = InjectionSession.objects.exclude(pk=earlier_session.pk).get()
    assert response["Location"] == session.get_absolute_url()
    assert session.acknowledgement_reason == "Effect wore off at week 6"


def test_session_at_the_interval_saves_without_warnings(
    signed_in, patient, clinician, xeomin_lot, earlier_session
):
    url = reverse("injections:session-create", args=[patient.pk])
    on = FIRST + timedelta(days=84)
    response = signed_in.post(
        url, session_post(xeomin_lot, clinician, on, [("trapezius", "right", "40")])
    )
    assert response.status_code == 302
    assert InjectionSession.objects.count() == 2


def test_units_without_a_muscle_are_refused(signed_in, patient, clinician, xeomin_lot):
    url = reverse("injections:session-create", args=[patient.pk])
    response = signed_in.post(url, session_post(xeomin_lot, clinician, FIRST, [("", "left", "40")]))
    assert "Choose the muscle these units go into" in response.content.decode()
    assert not InjectionSession.objects.exists()


def test_empty_plan_is_refused_with_a_message(signed_in, patient, clinician, xeomin_lot):
    url = reverse("injections:session-create", args=[patient.pk])
    response = signed_in.post(url, session_post(xeomin_lot, clinician, FIRST, [("", "left", "")]))
    assert "Add at least one muscle" in response.content.decode()


def test_copy_forward_prefills_last_plan(signed_in, patient, earlier_session):
    html = signed_in.get(
        reverse("injections:session-create", args=[patient.pk]), {"start": "copy"}
    ).content.decode()
    assert "Copied from the session of 2026-01-05 (Xeomin)" in html
    assert 'value="60"' in html and 'value="30"' in html
    assert 'name="units_product" value="incobotulinumtoxinA"' in html


def test_copied_units_are_not_used_for_another_product(
    signed_in, patient, clinician, earlier_session
):
    botox = ToxinLot.objects.create(
        product=ToxinProduct.objects.get(code="onabotulinumtoxinA"),
        lot_number="BOT-T1",
        vial_size_units=100,
        expires_on=date(2099, 1, 1),
    )
    url = reverse("injections:session-create", args=[patient.pk])
    data = session_post(
        botox,
        clinician,
        FIRST + timedelta(days=90),
        [("splenius_capitis", "left", "60")],
        units_product="incobotulinumtoxinA",
    )
    response = signed_in.post(url, data)
    html = response.content.decode()
    assert "units are not interchangeable" in html
    assert InjectionSession.objects.count() == 1
    # The doses and the dilution are cleared, the old dose is shown as orientation text only.
    assert 'name="form-0-units" value="60"' not in html
    assert (
        "was 60 Xeomin units; ≈ 60 Botox units (approximate equivalent, orientation only)" in html
    )
    assert 'name="units_product" value="onabotulinumtoxinA"' in html
    # Sending the same numbers again (the old "second click") is refused: units must be re-entered.
    again = signed_in.post(url, {**data, "units_product": "onabotulinumtoxinA", "form-0-units": ""})
    assert "Enter the units" in again.content.decode()
    assert InjectionSession.objects.count() == 1


def test_suggested_start_lists_col_cap_muscles_without_doses(signed_in, patient):
    Diagnosis.objects.create(
        patient=patient, colcap_pattern=[{"form": "torticaput", "side": "left"}]
    )
    html = signed_in.get(
        reverse("injections:session-create", args=[patient.pk]), {"start": "suggested"}
    ).content.decode()
    assert "Suggested starting muscles for Torticaput to the left" in html
    assert '<option value="splenius_capitis" selected>' in html
    assert '<option value="obliquus_capitis_inferior" selected>' in html
    assert "Also consider" in html


def test_session_detail_shows_diagram_and_labelled_equivalents(signed_in, earlier_session):
    html = signed_in.get(earlier_session.get_absolute_url()).content.decode()
    assert 'class="neck-diagram"' in html and "Splenius capitis (left): 60" in html
    assert "orientation only" in html
    assert "≈ 90 Botox units" in html  # Xeomin:Botox 1:1
    assert "Next injection due from <strong>2026-03-30</strong>" in html


def test_adverse_event_and_cycle_report_are_recorded(signed_in, earlier_session):
    signed_in.post(
        reverse("injections:adverse-event-create", args=[earlier_session.pk]),
        {"kind": "dysphagia", "severity": "mild", "reported_on": "2026-02-10", "onset_days": "9"},
    )
    assert AdverseEvent.objects.get().kind == "dysphagia"
    response = signed_in.post(
        reverse("injections:cycle-report-edit", args=[earlier_session.pk]),
        {"onset_week": "1", "peak_week": "4", "wearing_off_week": "9"},
    )
    assert response.status_code == 302
    assert CycleReport.objects.get().wearing_off_week == 9


def test_cycle_report_weeks_must_be_in_order(signed_in, earlier_session):
    response = signed_in.post(
        reverse("injections:cycle-report-edit", args=[earlier_session.pk]),
        {"onset_week": "3", "peak_week": "2"},
    )
    assert "cannot come before" in response.content.decode()
    assert not CycleReport.objects.exists()


def test_front_desk_cannot_open_a_session(client, front_desk, earlier_session):
    sign_in_with_second_factor(client, front_desk)
    assert client.get(earlier_session.get_absolute_url()).status_code == 403


def test_changing_the_lot_after_the_warnings_keeps_the_doses_product(
    signed_in, patient, clinician, earlier_session
):
    """Doses typed for Xeomin, warned, then the lot switched to Dysport: refused, not saved."""
    dysport = ToxinLot.objects.create(
        product=ToxinProduct.objects.get(code="abobotulinumtoxinA"),
        lot_number="DYS-T1",
        vial_size_units=500,
        expires_on=date(2099, 1, 1),
    )
    url = reverse("injections:session-create", args=[patient.pk])
    first = signed_in.post(
        url,
        session_post(
            earlier_session.lot,
            clinician,
            FIRST + timedelta(days=30),
            [("trapezius", "left", "60")],
        ),
    )
    assert 'name="units_product" value="incobotulinumtoxinA"' in first.content.decode()
    second = signed_in.post(
        url,
        session_post(
            dysport,
            clinician,
            FIRST + timedelta(days=30),
            [("trapezius", "left", "60")],
            units_product="incobotulinumtoxinA",
            acknowledged=["interval"],
            acknowledgement_reason="early",
        ),
    )
    assert "units are not interchangeable" in second.content.decode()
    assert InjectionSession.objects.count() == 1


def test_label_figures_edited_in_the_admin_are_validated_and_audited(client, administrator):
    from collis.audit.models import AuditEvent

    sign_in_with_second_factor(client, administrator)
    botox = ToxinProduct.objects.get(code="onabotulinumtoxinA")
    url = reverse("admin:injections_toxinproduct_change", args=[botox.pk])
    data = {
        "session_limit_units": "400",
        "limit_window_days": "92",
        "recommended_max_units": "",
        "scm_advisory_units": "100",
        "min_interval_days": "84",
        "vial_sizes": "[50, 100, 200]",
        "is_active": "on",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "longer than the minimum interval" in (
        refused.content.decode()
    )
    botox.refresh_from_db()
    assert botox.limit_window_days == 84
    assert client.post(url, {**data, "min_interval_days": "92"}).status_code == 302
    botox.refresh_from_db()
    assert (botox.limit_window_days, botox.min_interval_days) == (92, 92)
    audit = AuditEvent.objects.filter(object_type="injections.ToxinProduct").latest("pk")
    assert audit.detail["changed"]["min_interval_days"] == [84, 92]


def test_session_page_forms_keep_each_label_with_its_input(signed_in, earlier_session):
    """Issue #11 defect 8: adverse-event and response forms, one labelled field per row."""
    import re

    html = signed_in.get(earlier_session.get_absolute_url()).content.decode()
    for action in ("adverse-events/new/", "cycle-report/"):
        form = re.search(rf'<form[^>]*action="[^"]*{action}".*?</form>', html, re.S).group(0)
        labels = form.count("<label")
        assert labels >= 2 and form.count('<div class="field">') >= 4  # one block per field
