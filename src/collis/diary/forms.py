from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collis.diary.models import DiaryEntry, Exercise
from collis.lib.fields import SaneDateField

ZERO_TO_TEN = [(n, str(n)) for n in range(11)]


class DiaryEntryForm(forms.Form):
    """Quick to fill on a phone: big 0–10 buttons, everything else optional.

    The items a patient rates here (pulling/turning 0–10, pain 0–10 NRS, head tremor, sensory
    trick) are shown in the patient's language. The Spanish wording is the clinic's own
    translation [U] (src/collis/diary/locale/es): no published, validated Spanish version of
    these items is cited in clinical.md, so it must not be presented as one. Answers are stored
    as numbers and codes, so staff read them in their own language.
    """

    entry_date = SaneDateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(
        choices=DiaryEntry.Period.choices, widget=forms.RadioSelect, initial="day", label=_("For")
    )
    severity = forms.TypedChoiceField(
        choices=ZERO_TO_TEN,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale-choice"}),
        label=_("How strong was the pulling or turning? (0 none – 10 worst)"),
    )
    pain = forms.TypedChoiceField(
        choices=ZERO_TO_TEN,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale-choice"}),
        label=_("How much pain? (0 none – 10 worst)"),
    )
    tremor = forms.TypedChoiceField(
        choices=DiaryEntry.Tremor.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=0,
        label=_("Head tremor"),
    )
    used_sensory_trick = forms.BooleanField(
        required=False, label=_("I used my sensory trick (e.g. touching my chin)")
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000, label=_("Note")
    )


class ProgrammeForm(forms.Form):
    """Pick exercises from the library and set how often; one row per library exercise."""

    starts_on = SaneDateField(widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Guidance for the patient (heat, massage, when to stop)"),
    )

    def __init__(self, *args, current=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        self.exercises = list(Exercise.objects.all())
        for exercise in self.exercises:
            item = current.get(exercise.pk)
            prefix = f"ex{exercise.pk}"
            self.fields[f"{prefix}_on"] = forms.BooleanField(
                required=False, label=exercise.name, initial=item is not None
            )
            self.fields[f"{prefix}_frequency"] = forms.CharField(
                required=False,
                max_length=80,
                label=_("How often"),
                initial=item.frequency if item else "",
            )
            self.fields[f"{prefix}_dose"] = forms.CharField(
                required=False,
                max_length=80,
                label=_("How much"),
                initial=item.dose if item else "",
            )

    def rows(self):
        return [
            (e, self[f"ex{e.pk}_on"], self[f"ex{e.pk}_frequency"], self[f"ex{e.pk}_dose"])
            for e in self.exercises
        ]

    def clean(self):
        data = super().clean()
        for exercise in self.exercises:
            if data.get(f"ex{exercise.pk}_on") and not data.get(f"ex{exercise.pk}_frequency"):
                self.add_error(f"ex{exercise.pk}_frequency", f"Say how often: {exercise.name}.")
        return data

    def chosen(self):
        return [
            (e, self.cleaned_data[f"ex{e.pk}_frequency"], self.cleaned_data[f"ex{e.pk}_dose"])
            for e in self.exercises
            if self.cleaned_data.get(f"ex{e.pk}_on")
        ]
