"""Diary and home-programme writes."""

from datetime import date

import pytest

from collis.audit.models import AuditEvent
from collis.diary.actions import (
    ProgrammeLine,
    assign_home_programme,
    record_diary_entry,
    set_adherence,
)
from collis.diary.errors import FutureEntryError
from collis.diary.models import AdherenceCheck, DiaryEntry, Exercise

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


def test_entry_is_saved_audited_and_replaced_for_the_same_day(patient):
    record_diary_entry(
        None, actor=patient.user, patient=patient, entry_date=TODAY, pain=3, severity=5, today=TODAY
    )
    record_diary_entry(
        None, actor=patient.user, patient=patient, entry_date=TODAY, pain=2, severity=4, today=TODAY
    )
    assert list(DiaryEntry.objects.values_list("pain", "severity")) == [(2, 4)]
    assert (
        AuditEvent.objects.filter(object_type="diary.DiaryEntry", patient_id=patient.pk).count()
        == 2
    )


def test_weekly_and_daily_entries_coexist(patient):
    for period in ("day", "week"):
        record_diary_entry(
            None,
            actor=None,
            patient=patient,
            entry_date=TODAY,
            pain=1,
            severity=1,
            period=period,
            today=TODAY,
        )
    assert DiaryEntry.objects.count() == 2


def test_future_entry_is_refused(patient):
    with pytest.raises(FutureEntryError):
        record_diary_entry(
            None,
            actor=None,
            patient=patient,
            entry_date=date(2026, 3, 11),
            pain=1,
            severity=1,
            today=TODAY,
        )


def test_reassigning_a_programme_keeps_history_of_kept_exercises(patient):
    chin, heat, massage = (
        Exercise.objects.get(slug=s) for s in ("chin-tuck", "heat-pack", "gentle-massage")
    )
    programme = assign_home_programme(
        None,
        actor=None,
        patient=patient,
        assigned_by=None,
        starts_on=TODAY,
        lines=[ProgrammeLine(chin, "Daily"), ProgrammeLine(heat, "Evenings")],
    )
    chin_item = programme.items.get(exercise=chin)
    set_adherence(None, actor=None, item=chin_item, done_on=TODAY, done=True, today=TODAY)
    programme = assign_home_programme(
        None,
        actor=None,
        patient=patient,
        assigned_by=None,
        starts_on=TODAY,
        lines=[ProgrammeLine(chin, "Twice a day"), ProgrammeLine(massage, "Weekly")],
    )
    assert [i.exercise.slug for i in programme.items.all()] == ["chin-tuck", "gentle-massage"]
    assert programme.items.get(exercise=chin).frequency == "Twice a day"
    assert AdherenceCheck.objects.filter(item__exercise=chin).count() == 1


def test_ticking_twice_keeps_one_check(patient):
    chin = Exercise.objects.get(slug="chin-tuck")
    programme = assign_home_programme(
        None,
        actor=None,
        patient=patient,
        assigned_by=None,
        starts_on=TODAY,
        lines=[ProgrammeLine(chin, "Daily")],
    )
    item = programme.items.get()
    for _ in range(2):
        set_adherence(None, actor=None, item=item, done_on=TODAY, done=True, today=TODAY)
    assert AdherenceCheck.objects.count() == 1
