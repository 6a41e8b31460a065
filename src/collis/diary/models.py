"""The patient's symptom diary and assigned home programme with adherence check-offs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DiaryEntry(models.Model):
    class Period(models.TextChoices):
        DAY = "day", _("Today")
        WEEK = "week", _("This past week")

    class Tremor(models.IntegerChoices):
        NONE = 0, _("None")
        MILD = 1, _("Mild")
        MODERATE = 2, _("Moderate")
        SEVERE = 3, _("Severe")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="diary_entries"
    )
    entry_date = models.DateField()
    period = models.CharField(max_length=4, choices=Period.choices, default=Period.DAY)
    pain = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    severity = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    tremor = models.PositiveSmallIntegerField(choices=Tremor.choices, default=Tremor.NONE)
    used_sensory_trick = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-entry_date", "-pk"]
        verbose_name_plural = "diary entries"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "entry_date", "period"], name="one_diary_entry_per_period"
            ),
            models.CheckConstraint(condition=models.Q(pain__lte=10), name="diary_pain_0_10"),
            models.CheckConstraint(
                condition=models.Q(severity__lte=10), name="diary_severity_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"Diary {self.entry_date} ({self.period}) – {self.patient_id}"


class Exercise(models.Model):
    """A handout item of the home programme library."""

    class Kind(models.TextChoices):
        STRETCH = "stretch", _("Stretch")
        STRENGTH = "strength", _("Strengthening")
        HEAT = "heat", _("Heat")
        MASSAGE = "massage", _("Massage")
        RELAXATION = "relaxation", _("Relaxation")

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    instructions = models.TextField()
    caution = models.CharField(max_length=300, blank=True)
    # Spanish for patients reading in Spanish (issue #17); blank shows the English.
    name_es = models.CharField("name (Spanish)", max_length=120, blank=True)
    instructions_es = models.TextField("instructions (Spanish)", blank=True)
    caution_es = models.CharField("caution (Spanish)", max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def _in_language(self, field: str) -> str:
        """``field`` in the active language: its ``_es`` text in Spanish when there is one."""
        if get_language() == "es" and getattr(self, f"{field}_es"):
            return getattr(self, f"{field}_es")
        return getattr(self, field)

    @property
    def display_name(self) -> str:
        return self._in_language("name")

    @property
    def display_instructions(self) -> str:
        return self._in_language("instructions")

    @property
    def display_caution(self) -> str:
        # A caution is safety text: without a Spanish one, the English one is shown.
        return self._in_language("caution")


class HomeProgramme(models.Model):
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="home_programme"
    )
    assigned_by = models.ForeignKey(
        "providers.Clinician", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    starts_on = models.DateField()
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Home programme – {self.patient_id}"


class ProgrammeItem(models.Model):
    programme = models.ForeignKey(HomeProgramme, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(max_length=80, help_text="e.g. twice a day, 3 times a week")
    dose = models.CharField(
        max_length=80, blank=True, help_text="e.g. hold 30 s, 3 repetitions; 15–20 minutes"
    )
    personal_note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "exercise"], name="exercise_once")
        ]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.frequency})"


class AdherenceCheck(models.Model):
    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="checks")
    done_on = models.DateField()
    checked_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-done_on"]
        constraints = [
            models.UniqueConstraint(fields=["item", "done_on"], name="one_check_per_item_day")
        ]

    def __str__(self) -> str:
        return f"{self.item} done {self.done_on}"
