"""Writes of the diary and home programme. Atomic and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.diary.errors import FutureEntryError
from collis.diary.models import AdherenceCheck, DiaryEntry, Exercise, HomeProgramme, ProgrammeItem
from collis.patients.models import Patient
from collis.providers.models import Clinician


@transaction.atomic
def record_diary_entry(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    entry_date: date,
    pain: int,
    severity: int,
    period: str = DiaryEntry.Period.DAY,
    tremor: int = 0,
    used_sensory_trick: bool = False,
    note: str = "",
    today: date | None = None,
) -> DiaryEntry:
    """Save the entry for that day (or week); a second entry for the same period replaces it."""
    if entry_date > (today or timezone.localdate()):
        raise FutureEntryError()
    entry, created = DiaryEntry.objects.select_for_update().update_or_create(
        patient=patient,
        entry_date=entry_date,
        period=period,
        defaults={
            "pain": pain,
            "severity": severity,
            "tremor": tremor,
            "used_sensory_trick": used_sensory_trick,
            "note": note,
        },
    )
    record_access(request, Action.CREATE if created else Action.UPDATE, entry, user=actor)
    return entry


@dataclass(frozen=True)
class ProgrammeLine:
    exercise: Exercise
    frequency: str
    dose: str = ""
    personal_note: str = ""


@transaction.atomic
def assign_home_programme(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    assigned_by: Clinician | None,
    starts_on: date,
    lines: Sequence[ProgrammeLine],
    notes: str = "",
) -> HomeProgramme:
    """Set the patient's home programme; exercises kept keep their check-off history."""
    programme, created = HomeProgramme.objects.select_for_update().update_or_create(
        patient=patient,
        defaults={"assigned_by": assigned_by, "starts_on": starts_on, "notes": notes},
    )
    keep = {line.exercise.pk for line in lines}
    programme.items.exclude(exercise_id__in=keep).delete()
    for order, line in enumerate(lines):
        ProgrammeItem.objects.update_or_create(
            programme=programme,
            exercise=line.exercise,
            defaults={
                "frequency": line.frequency,
                "dose": line.dose,
                "personal_note": line.personal_note,
                "order": order,
            },
        )
    record_access(
        request,
        Action.CREATE if created else Action.UPDATE,
        programme,
        user=actor,
        detail={"exercises": sorted(keep)},
    )
    return programme


@transaction.atomic
def set_adherence(
    request: HttpRequest | None,
    *,
    actor: Any,
    item: ProgrammeItem,
    done_on: date,
    done: bool,
    today: date | None = None,
) -> bool:
    """Tick (or untick) an exercise as done on a day; return whether it is now ticked."""
    if done_on > (today or timezone.localdate()):
        raise FutureEntryError()
    patient_id = item.programme.patient_id
    if done:
        check, _ = AdherenceCheck.objects.get_or_create(
            item=item, done_on=done_on, defaults={"checked_by": actor}
        )
        record_access(request, Action.CREATE, check, user=actor, patient_id=patient_id)
    else:
        for check in AdherenceCheck.objects.filter(item=item, done_on=done_on):
            record_access(request, Action.DELETE, check, user=actor, patient_id=patient_id)
            check.delete()
    return done
