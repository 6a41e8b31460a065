"""The demo clinic's home check-ins show both stories of issue #16."""

from __future__ import annotations

from django.urls import reverse

from collis.checkins import record
from collis.checkins.models import HomeCheckin
from collis.patients.models import Patient


def test_demo_patient_wearing_off_at_week_8_is_flagged_and_the_one_holding_to_12_is_not(
    demo_data,
):
    holds = Patient.objects.get(mrn="DEMO-0001")
    wears = Patient.objects.get(mrn="DEMO-0002")
    for patient in (holds, wears):
        cycles = record.cycles(patient)
        assert len(cycles) >= 3
        assert sum(len(c.points) for c in cycles) >= 20  # several cycles of weekly check-ins
    assert not any(c.flagged for c in record.cycles(holds))
    assert record.wearing_off_flag(holds) is None
    flagged = [c for c in record.cycles(wears) if c.flagged]
    assert flagged and all(c.flagged_week == 9 for c in flagged)  # back at 8, confirmed at 9
    assert record.wearing_off_flag(wears) is not None
    assert HomeCheckin.objects.filter(reviewed_at__isnull=True).count() == 4


def test_demo_curve_and_review_queue_pages(demo_data, client, login_staff):
    from django.contrib.auth import get_user_model

    clinician = get_user_model().objects.get(username="dr.maya-okafor")
    login_staff(clinician)
    wears = Patient.objects.get(mrn="DEMO-0002")
    page = client.get(reverse("checkins:wearing-off", args=[wears.pk]))
    assert b"Early wearing-off" in page.content and b"not an order" in page.content
    for title in (b"Resting head turn", b"Resting head tilt", b"Resting chin", b"Tremor at rest",
                  b"Diary: severity", b"Diary: pain"):  # fmt: skip
        assert title in page.content
    assert page.content.count(b"Cycle from") >= 3  # cycles overlaid, one line each
    queue = client.get(reverse("checkins:review-queue"))
    assert b"Early wearing-off (suggestion)" in queue.content


def test_flag_shows_on_the_patient_record_and_the_recall_list(demo_data, client, login_staff):
    from django.contrib.auth import get_user_model

    login_staff(get_user_model().objects.get(username="dr.maya-okafor"))
    wears = Patient.objects.get(mrn="DEMO-0002")
    holds = Patient.objects.get(mrn="DEMO-0001")
    page = client.get(reverse("patients:patient-detail", args=[wears.pk]))
    assert b"Early wearing-off (home check-ins)" in page.content
    page = client.get(reverse("patients:patient-detail", args=[holds.pk]))
    assert b"Early wearing-off (home check-ins)" not in page.content
    assert record.recall_notes({wears.pk, holds.pk}) == {wears.pk: record.RECALL_NOTE}
    from collis.scheduling.ports import recall_notes

    assert recall_notes([wears.pk, holds.pk]) == {wears.pk: [record.RECALL_NOTE]}


def test_patient_list_flags_early_wearing_off_with_a_link_to_the_review(
    demo_data, client, login_staff
):
    from django.contrib.auth import get_user_model

    login_staff(get_user_model().objects.get(username="dr.maya-okafor"))
    wears = Patient.objects.get(mrn="DEMO-0002")
    holds = Patient.objects.get(mrn="DEMO-0001")
    html = client.get(reverse("patients:patient-list")).content.decode()
    newest = HomeCheckin.objects.filter(patient=wears).order_by("-recorded_at").first()
    link = f'<a href="{reverse("checkins:review-detail", args=[newest.pk])}" class="list-flag'
    assert link in html and "Early wearing-off (suggestion)" in html
    assert html.count("Early wearing-off (suggestion)") == 1  # not beside DEMO-0001
    row = html[html.index(holds.family_name) :].split("</tr>")[0]
    assert "Early wearing-off" not in row
