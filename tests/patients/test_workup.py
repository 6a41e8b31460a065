"""Dystonia work-up: structured cause, exposures, family history, onset, spread, sensory tricks
and surgical referral; checked for consistency, shown on the record and exported."""

from datetime import date

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse

from collis.patients import workup
from collis.patients.actions import update_diagnosis
from collis.patients.errors import InvalidWorkupError

TODAY = date(2026, 11, 30)


def check(**changes):
    base = {
        "birth_date": date(1970, 6, 15),
        "onset_date": None,
        "onset_age": 41,
        "cause": "idiopathic",
        "dopamine_blocker_exposure": "never",
        "tricks": [{"trick": "touch_chin", "effect": 1}],
        "referred_on": None,
        "referral_kind": "",
        "referral_outcome": "",
        "outcome_on": None,
        "today": TODAY,
    }
    return workup.check_workup(**{**base, **changes})


def test_a_consistent_workup_has_no_problems():
    assert check() == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"onset_age": 57}, "above the patient's age (56)"),
        ({"onset_age": 130}, "0–120"),
        ({"cause": "tardive"}, "dopamine-blocking"),
        ({"tricks": [{"trick": "touch_chin", "effect": 5}]}, "0–4"),
        ({"tricks": [{"trick": "juggling", "effect": 1}]}, "Unknown sensory trick"),
        ({"referral_kind": "gpi_dbs"}, "referral date"),
        ({"referral_outcome": "operated"}, "needs a referral"),
        (
            {
                "referral_kind": "gpi_dbs",
                "referred_on": date(2026, 5, 1),
                "outcome_on": date(2026, 4, 1),
            },
            "before the referral",
        ),
        ({"referral_kind": "gpi_dbs", "referred_on": date(2027, 1, 1)}, "in the future"),
    ],
)
def test_inconsistent_workups_are_refused(changes, problem):
    assert any(problem in p for p in check(**changes))


def test_tardive_cause_with_recorded_exposure_is_fine():
    assert check(cause="tardive", dopamine_blocker_exposure="past") == []


@pytest.mark.django_db
def test_workup_is_saved_audited_shown_and_exported(client, clinician_user, clinician, patient):
    from collis.patients import privacy

    with pytest.raises(InvalidWorkupError):
        update_diagnosis(None, actor=clinician_user, patient=patient, data={"cause": "tardive"})
    sign_in_with_second_factor(client, clinician_user)
    response = client.post(
        reverse("patients:diagnosis-edit", args=[patient.pk]),
        {
            "condition": "Cervical dystonia",
            "pattern_torticaput": "left",
            "cause": "tardive",
            "onset_age": "38",
            "dopamine_blocker_exposure": "past",
            "dopamine_blocker_detail": "metoclopramide 2019",
            "family_history": "tremor",
            "spread": "segmental",
            "spread_detail": "right arm",
            "trick_0": "touch_chin",
            "trick_effect_0": "1",
            "referral_kind": "gpi_dbs",
            "referred_on": "2026-05-01",
            "referral_outcome": "pending",
        },
    )
    assert response.status_code == 302
    # Read it afresh: the instance cached on ``patient`` may be a row the save replaced.
    diagnosis = type(patient).objects.get(pk=patient.pk).diagnosis
    assert diagnosis.sensory_tricks == [{"trick": "touch_chin", "effect": 1}]
    html = client.get(reverse("patients:patient-detail", args=[patient.pk])).content.decode()
    assert "Touching the chin: moderate relief" in html
    assert "Tardive (after dopamine-blocking drugs)" in html
    assert "Deep brain stimulation (GPi) on 2026-05-01 – Awaiting assessment" in html
    exported = privacy.export_patient_data(patient)["sections"]["diagnosis"]
    assert exported["cause"] == "tardive" and exported["referred_on"] == "2026-05-01"


@pytest.mark.django_db
def test_a_trick_without_a_grade_is_an_error(client, clinician_user, clinician, patient):
    sign_in_with_second_factor(client, clinician_user)
    response = client.post(
        reverse("patients:diagnosis-edit", args=[patient.pk]),
        {"condition": "Cervical dystonia", "trick_0": "touch_cheek"},
    )
    assert "Grade how well the trick works." in response.content.decode()
