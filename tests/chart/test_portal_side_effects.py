"""The portal lists the patient's own side-effect reports (issue #13): newest first, with their
status, times in the clinic's zone, English and Spanish; another patient's report answers 404."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse
from django.utils import translation

from collis.audit.models import AuditEvent
from collis.chart.portal.views import SYMPTOM_WORDS
from collis.injections import actions, safety
from collis.injections.models import SideEffectReport

pytestmark = pytest.mark.django_db


def _report(patient, symptoms, at: datetime, **kwargs) -> SideEffectReport:
    report = actions.report_side_effect(
        None, actor=patient.user, patient=patient, symptoms=symptoms, **kwargs
    )
    SideEffectReport.objects.filter(pk=report.pk).update(reported_at=at)
    report.refresh_from_db()
    return report


@pytest.fixture
def reports(patient, clinician_user):
    # 03:30 UTC on 2 March is 21:30 on 1 March in the clinic's zone (America/Chicago, CST).
    older = _report(patient, ["ptosis"], datetime(2026, 3, 2, 3, 30, tzinfo=UTC))
    newer = _report(
        patient,
        ["dysphagia"],
        datetime(2026, 4, 10, 15, 0, tzinfo=UTC),
        severe=True,
        started_on=date(2026, 4, 9),
    )
    actions.review_side_effect_report(None, actor=clinician_user, report=older, review_note="ok")
    return older, newer


@pytest.fixture
def portal(client, patient):
    sign_in_with_second_factor(client, patient.user)
    return client


def test_lists_own_reports_newest_first_with_status_in_clinic_time(portal, reports, other_patient):
    older, newer = reports
    theirs = _report(other_patient, ["diplopia"], datetime(2026, 5, 1, 12, tzinfo=UTC))
    page = portal.get(reverse("portal:side-effect-list")).content.decode()
    assert page.index(f"/portal/side-effects/{newer.pk}/") < page.index(
        f"/portal/side-effects/{older.pk}/"
    )
    assert f"/portal/side-effects/{theirs.pk}/" not in page
    assert "Double or blurred vision" not in page
    assert "Sun, Mar 1, 2026, 9:30 PM" in page  # the clinic's evening, not 03:30 UTC
    assert "Read by a clinician" in page and "Sent: waiting for a clinician" in page
    assert "Drooping eyelid" in page and "Trouble swallowing" in page
    assert "you were told to call emergency services" in page  # the severe swallowing one


def test_the_portal_navigation_links_the_list(portal, patient):
    page = portal.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:side-effect-list")}"' in page


def test_own_report_opens_and_another_patients_answers_404(portal, reports, other_patient):
    older, newer = reports
    page = portal.get(reverse("portal:side-effect-detail", args=[newer.pk])).content.decode()
    assert "Trouble swallowing" in page and "Thu, Apr 9, 2026" in page
    theirs = _report(other_patient, ["diplopia"], datetime(2026, 5, 1, 12, tzinfo=UTC))
    response = portal.get(reverse("portal:side-effect-detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert portal.get("/portal/side-effects/999999/").status_code == 404


def test_staff_cannot_open_the_portal_pages(client, clinician_user, reports):
    sign_in_with_second_factor(client, clinician_user)
    assert client.get(reverse("portal:side-effect-list")).status_code in (403, 404)
    url = reverse("portal:side-effect-detail", args=[reports[0].pk])
    assert client.get(url).status_code in (403, 404)


def test_reads_are_audited(portal, reports):
    before = AuditEvent.objects.count()
    portal.get(reverse("portal:side-effect-list"))
    portal.get(reverse("portal:side-effect-detail", args=[reports[0].pk]))
    assert AuditEvent.objects.count() == before + 2


def test_spanish(portal, reports):
    page = portal.get(reverse("portal:side-effect-list"), HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert '<html lang="es">' in text
    assert "Leído por un clínico" in text and "Párpado caído" in text
    assert "Informes de efectos secundarios" in text  # the navigation entry
    detail = portal.get(
        reverse("portal:side-effect-detail", args=[reports[1].pk]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Lo que pasaba" in detail


def test_symptom_words_match_the_core():
    """The translatable words are the core's patient wording, for every symptom."""
    with translation.override("en"):
        assert {str(k): str(v) for k, v in SYMPTOM_WORDS.items()} == {
            str(k): v for k, v in safety.PATIENT_SYMPTOMS.items()
        }
