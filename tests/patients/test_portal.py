"""The patient portal: own data only, a quick diary, the programme with check-offs, charts."""

from datetime import date, datetime, timedelta

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse
from django.utils import timezone

from collis.diary.actions import ProgrammeLine, assign_home_programme
from collis.diary.models import AdherenceCheck, DiaryEntry, Exercise
from collis.patients.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(client, patient):
    sign_in_with_second_factor(client, patient.user)
    return client


def entry_data(**changes):
    data = {
        "entry_date": timezone.localdate().isoformat(),
        "period": "day",
        "severity": "6",
        "pain": "4",
        "tremor": "1",
        "used_sensory_trick": "on",
        "note": "Stiff after work",
    }
    return {**data, **changes}


def test_patient_logs_a_diary_entry_and_sees_it_charted(portal, patient):
    response = portal.post(reverse("portal:diary-create"), entry_data())
    assert response["Location"] == reverse("portal:charts")
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.severity, entry.pain, entry.tremor, entry.used_sensory_trick) == (6, 4, 1, True)
    charts = portal.get(reverse("portal:charts")).content.decode()
    assert "Symptom diary" in charts and "<polyline" in charts
    assert f"{timezone.localdate().isoformat()}</th><td>6</td><td>4</td>" in charts


def test_a_second_entry_the_same_day_replaces_the_first(portal, patient):
    portal.post(reverse("portal:diary-create"), entry_data(severity="6"))
    portal.post(reverse("portal:diary-create"), entry_data(severity="3"))
    assert list(DiaryEntry.objects.values_list("severity", flat=True)) == [3]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"severity": "11"}, "Select a valid choice"),
        ({"pain": ""}, "This field is required"),
        (
            {"entry_date": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "has not happened yet",
        ),
    ],
)
def test_bad_diary_input_is_refused_and_the_form_keeps_the_input(portal, changes, message):
    response = portal.post(reverse("portal:diary-create"), entry_data(**changes))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "Stiff after work" in html  # nothing typed is lost
    assert not DiaryEntry.objects.exists()


def test_diary_list_shows_only_own_entries(portal, patient, other_patient):
    DiaryEntry.objects.create(
        patient=patient, entry_date=date(2026, 1, 5), pain=2, severity=3, note="mine"
    )
    DiaryEntry.objects.create(
        patient=other_patient, entry_date=date(2026, 1, 5), pain=9, severity=9, note="not yours"
    )
    html = portal.get(reverse("portal:diary-list")).content.decode()
    assert "mine" in html and "not yours" not in html


def test_patient_removes_a_diary_entry_logged_by_mistake(portal, patient):
    """Soft-deleted with its reason and an audit row; gone from the diary and the charts; the
    same day can be logged again."""
    from collis.audit.models import AuditEvent

    day = timezone.localdate() - timedelta(days=3)
    wrong_day = DiaryEntry.objects.create(
        patient=patient, entry_date=day, pain=2, severity=3, note="wrong day"
    )
    assert day.isoformat() in portal.get(reverse("portal:charts")).content.decode()
    url = reverse("portal:diary-delete", args=[wrong_day.pk])
    page = portal.get(url).content.decode()
    assert "Remove a diary entry" in page and "severity 3, pain 2" in page
    assert DiaryEntry.objects.filter(pk=wrong_day.pk).exists()  # the GET changes nothing
    response = portal.post(url)
    assert response["Location"] == reverse("portal:diary-list")
    kept = DiaryEntry.all_objects.get(pk=wrong_day.pk)
    assert kept.deleted_at is not None and kept.deleted_by == patient.user
    assert kept.deletion_reason == "Removed by the patient in the portal"
    assert AuditEvent.objects.filter(action="delete", object_id=str(wrong_day.pk)).exists()
    assert "wrong day" not in portal.get(reverse("portal:diary-list")).content.decode()
    assert day.isoformat() not in portal.get(reverse("portal:charts")).content.decode()
    portal.post(reverse("portal:diary-create"), entry_data(entry_date=day.isoformat()))
    assert DiaryEntry.objects.filter(patient=patient, entry_date=day).count() == 1


def test_another_patients_diary_entry_cannot_be_removed(portal, other_patient):
    theirs = DiaryEntry.objects.create(patient=other_patient, entry_date=date(2026, 1, 5),
                                       pain=9, severity=9)  # fmt: skip
    url = reverse("portal:diary-delete", args=[theirs.pk])
    assert portal.get(url).status_code == 404
    assert portal.post(url).status_code == 404
    assert DiaryEntry.objects.get(pk=theirs.pk).deleted_at is None


def test_another_patients_visit_summary_is_not_found(portal, other_patient, clinician):
    visit = Visit.objects.create(
        patient=other_patient, clinician=clinician, occurred_at=timezone.now()
    )
    assert portal.get(reverse("portal:visit-summary", args=[visit.pk])).status_code == 404
    assert portal.get(reverse("portal:visit-summary-pdf", args=[visit.pk])).status_code == 404
    assert portal.get(reverse("portal:visit-summary", args=[999999])).status_code == 404


def test_own_visit_summary_leaves_out_internal_notes(portal, patient, clinician):
    visit = Visit.objects.create(
        patient=patient,
        clinician=clinician,
        occurred_at=timezone.make_aware(datetime(2026, 2, 2, 9)),
        notes="Internal note",
    )
    html = portal.get(reverse("portal:visit-summary", args=[visit.pk])).content.decode()
    assert "Visit summary" in html and "Internal note" not in html
    pdf = portal.get(reverse("portal:visit-summary-pdf", args=[visit.pk]))
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["clinician_user", "front_desk", "outsider"])
def test_accounts_without_a_patient_record_get_404(client, request, persona):
    sign_in_with_second_factor(client, request.getfixturevalue(persona))
    for name in ("portal:home", "portal:diary-list", "portal:diary-create", "portal:charts"):
        assert client.get(reverse(name)).status_code == 404


def test_portal_home_has_clear_empty_states(portal):
    html = portal.get(reverse("portal:home")).content.decode()
    assert "You have no upcoming appointments" in html
    assert "No entries yet" in html


def test_portal_home_lists_upcoming_appointments_with_manage_links(portal, patient, clinician):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from collis.providers.models import Clinic, Location
    from collis.scheduling.actions import Contact, book_appointment, cancel_appointment
    from collis.scheduling.models import AppointmentType

    kind = AppointmentType.objects.create(
        name="Injection follow-up", slug="fu", duration_minutes=20
    )
    kind.clinicians.add(clinician)
    clinic = Clinic.objects.create(name="C", phone="1")
    place = Location.objects.create(clinic=clinic, name="Downtown", slug="d", street="1", city="X")
    start = datetime.combine(timezone.localdate() + timedelta(days=3), time(10)).replace(
        tzinfo=timezone.get_current_timezone()
    )
    booked = book_appointment(
        appointment_type=kind,
        start=start,
        location=place,
        clinician=clinician,
        patient=patient,
        contact=Contact("Pat", "Tester", "pat@example.com", "", None),
        source="staff",
        override_reason="test",
    )
    html = portal.get(reverse("portal:home")).content.decode()
    assert "Injection follow-up" in html and "Change or cancel" in html
    cancel_appointment(booked, reason="test")
    assert (
        "You have no upcoming appointments" in portal.get(reverse("portal:home")).content.decode()
    )


@pytest.fixture
def programme(patient, clinician):
    exercise = Exercise.objects.get(slug="chin-tuck")
    return assign_home_programme(
        None,
        actor=None,
        patient=patient,
        assigned_by=clinician,
        starts_on=date(2026, 1, 1),
        lines=[ProgrammeLine(exercise, "Twice a day", "10 × 5 s")],
        notes="Heat before stretching.",
    )


def test_patient_ticks_and_unticks_an_exercise(portal, programme):
    item = programme.items.get()
    today = timezone.localdate().isoformat()
    portal.post(reverse("portal:programme"), {"item": item.pk, "day": today, "done": "1"})
    assert AdherenceCheck.objects.filter(item=item).count() == 1
    html = portal.get(reverse("portal:programme")).content.decode()
    assert "Chin tuck" in html and "Done on 1 of the last 7 days" in html
    portal.post(reverse("portal:programme"), {"item": item.pk, "day": today, "done": "0"})
    assert not AdherenceCheck.objects.exists()


def test_patient_cannot_tick_another_patients_exercise(client, other_patient, programme):
    assign_home_programme(
        None,
        actor=None,
        patient=other_patient,
        assigned_by=None,
        starts_on=date(2026, 1, 1),
        lines=[],
    )
    sign_in_with_second_factor(client, other_patient.user)
    item = programme.items.get()
    response = client.post(
        reverse("portal:programme"), {"item": item.pk, "day": "2026-01-02", "done": "1"}
    )
    assert response.status_code == 404
    assert not AdherenceCheck.objects.exists()


def test_future_day_cannot_be_ticked(portal, programme):
    item = programme.items.get()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    portal.post(reverse("portal:programme"), {"item": item.pk, "day": tomorrow, "done": "1"})
    assert not AdherenceCheck.objects.exists()


def test_ticking_a_day_returns_to_that_exercise(portal, programme):
    """Issue #11 defect 15: the page comes back at the exercise, not at the top."""
    item = programme.items.get()
    today = timezone.localdate().isoformat()
    response = portal.post(
        reverse("portal:programme"), {"item": item.pk, "day": today, "done": "1"}
    )
    assert response["Location"].endswith(f"#ex-{item.pk}")
    assert f'id="ex-{item.pk}"' in portal.get(reverse("portal:programme")).content.decode()


def test_the_diary_list_is_paged(portal, patient):
    """Issue #11 defect 15: the diary list pages instead of cutting off at 60 entries."""
    from datetime import timedelta

    from collis.diary.models import DiaryEntry

    today = timezone.localdate()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(patient=patient, entry_date=today - timedelta(days=n), pain=2, severity=3)
        for n in range(70)
    )
    first = portal.get(reverse("portal:diary-list")).content.decode()
    assert "Page 1 of 3" in first and "Older entries" in first
    last = portal.get(reverse("portal:diary-list"), {"page": 3}).content.decode()
    oldest = today - timedelta(days=69)
    assert f"{oldest:%a}, {oldest:%b} {oldest.day}, {oldest:%Y}" in last


def test_the_section_tab_stays_marked_on_pages_inside_it(portal, patient):
    """Removing a diary entry is still "My diary"; a check-in page is still "Home check-ins"."""
    entry = DiaryEntry.objects.create(patient=patient, entry_date=date(2026, 1, 5), pain=2,
                                      severity=3)  # fmt: skip
    page = portal.get(reverse("portal:diary-delete", args=[entry.pk])).content.decode()
    assert 'aria-current="page">My diary</a>' in page
    page = portal.get(reverse("checkins:portal-list")).content.decode()
    assert 'aria-current="page">Home check-ins</a>' in page


def test_chart_months_are_named_in_the_patients_language(portal, patient):
    """The diary chart marks the months between its end dates, named in the page's language."""
    import re

    from collis.lib.charts import MONTH_ABBREVIATIONS, month_starts

    spanish = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")
    today = timezone.localdate()
    first = today - timedelta(days=170)
    for day in (first, today):
        DiaryEntry.objects.create(patient=patient, entry_date=day, period="day", severity=5, pain=4)
    months = month_starts(first, today, 560)  # the diary chart's plot is 560 units wide
    assert months
    for lang, names in (("en", MONTH_ABBREVIATIONS), ("es", spanish)):
        charts = portal.get(reverse("portal:charts"), {"lang": lang}).content.decode()
        start = charts.index('<svg class="chart"')  # the first chart on the page: the diary
        diary = charts[start : charts.index("</svg>", start)]
        shown = re.findall(r'stroke="#8793a3"/><text[^>]*>([^<]+)</text>', diary)
        expected = [names[d.month - 1] + (f" {d.year}" if d.month == 1 else "") for d in months]
        assert shown == expected, lang
