"""Recording scales in the browser: scored when complete, drafts never scored, errors named."""

from datetime import date

import pytest
from collis_testing import sign_in_with_second_factor
from django.template.loader import render_to_string
from django.urls import reverse

from collis.scales.forms import ScaleForm
from collis.scales.models import Assessment
from collis.scales.twstrs import ITEMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, clinician_user, clinician):
    sign_in_with_second_factor(client, clinician_user)
    return client


def twstrs_post(**changes):
    data = {"assessed_on": "2026-03-02", "timepoint": "baseline", "save_complete": "1"}
    data |= {item.key: str(item.maximum) for item in ITEMS}
    return {**data, **changes}


def test_complete_twstrs_is_scored_with_its_version(signed_in, patient):
    response = signed_in.post(
        reverse("scales:assessment-create", args=[patient.pk, "twstrs"]), twstrs_post()
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert assessment.total == 85
    assert assessment.subscores == {"severity": 35, "disability": 30, "pain": 20}
    assert assessment.scale_version == "TWSTRS-original-1990/85"
    assert assessment.status == "complete"


def test_missing_item_blocks_scoring_names_the_item_and_keeps_input(signed_in, patient):
    response = signed_in.post(
        reverse("scales:assessment-create", args=[patient.pk, "twstrs"]),
        twstrs_post(reading="", work="3"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reading: is missing" in html
    assert '<option value="3" selected>' in html  # the grades entered are still there
    assert not Assessment.objects.exists()


def test_grade_out_of_range_is_rejected(signed_in, patient):
    response = signed_in.post(
        reverse("scales:assessment-create", args=[patient.pk, "twstrs"]), twstrs_post(rotation="5")
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.exists()


def test_draft_is_saved_unscored_and_can_be_finished(signed_in, patient):
    partial = {"assessed_on": "2026-03-02", "timepoint": "peak", "rotation": "2", "save_draft": "1"}
    signed_in.post(reverse("scales:assessment-create", args=[patient.pk, "twstrs"]), partial)
    draft = Assessment.objects.get()
    assert (draft.status, draft.total, draft.answers) == ("draft", None, {"rotation": 2})
    finish = twstrs_post(timepoint="peak")
    signed_in.post(reverse("scales:assessment-edit", args=[draft.pk]), finish)
    draft.refresh_from_db()
    assert (draft.status, draft.total) == ("complete", 85)
    assert Assessment.objects.count() == 1


def test_complete_assessment_is_not_edited(signed_in, patient):
    signed_in.post(reverse("scales:assessment-create", args=[patient.pk, "twstrs"]), twstrs_post())
    assessment = Assessment.objects.get()
    response = signed_in.post(
        reverse("scales:assessment-edit", args=[assessment.pk]), twstrs_post(rotation="0")
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.total == 85


def test_pain_severity_and_time_helpers_fill_only_empty_items(signed_in, patient):
    data = twstrs_post(pain_severity="", pain_best="1", pain_worst="7", pain_usual="3")
    data |= {"time_at_midline": "", "time_seconds": "20"}
    signed_in.post(reverse("scales:assessment-create", args=[patient.pk, "twstrs"]), data)
    assessment = Assessment.objects.get()
    assert assessment.answers["pain_severity"] == 4  # (7 + 1 + 6) / 4 = 3.5 -> 4
    assert assessment.answers["time_at_midline"] == 3  # 16–30 s
    assert assessment.details == {
        "pain_best": 1,
        "pain_worst": 7,
        "pain_usual": 3,
        "time_seconds": 20,
    }


def test_tsui_is_scored(signed_in, patient):
    data = {
        "assessed_on": "2026-03-02",
        "timepoint": "other",
        "rotation": "2",
        "tilt": "1",
        "antero_retrocollis": "0",
        "posture_duration": "2",
        "shoulder_elevation": "1",
        "tremor_severity": "1",
        "tremor_duration": "2",
        "save_complete": "1",
    }
    signed_in.post(reverse("scales:assessment-create", args=[patient.pk, "tsui"]), data)
    assert Assessment.objects.get().total == 9  # (2+1+0) × 2 + 1 + 1 × 2


def test_unknown_scale_is_404(signed_in, patient):
    assert (
        signed_in.get(reverse("scales:assessment-create", args=[patient.pk, "x"])).status_code
        == 404
    )


def test_visit_of_another_patient_is_refused(signed_in, patient, other_patient, clinician):
    from django.utils import timezone

    from collis.patients.models import Visit

    theirs = Visit.objects.create(
        patient=other_patient, clinician=clinician, occurred_at=timezone.now()
    )
    response = signed_in.post(
        reverse("scales:assessment-create", args=[patient.pk, "twstrs"]),
        twstrs_post(visit=str(theirs.pk)),
    )
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_posture_suggestions_are_marked_in_the_form(rf, patient):
    form = ScaleForm(
        scale="twstrs",
        suggestions={"rotation": 2},
        initial={"rotation": 2, "assessed_on": date.today()},
    )
    html = render_to_string(
        "scales/assessment_form.html",
        {"form": form, "patient": patient, "scale": "twstrs", "title": "TWSTRS"},
        request=rf.get("/"),
    )
    assert "suggested: 2" in html
    assert "They are suggestions" in html
