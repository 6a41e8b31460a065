from __future__ import annotations

from django import forms

from collis.lib.fields import SaneDateField
from collis.patients import workup
from collis.patients.colcap import FORM_LABELS, SIDED_FORMS, ColCapForm
from collis.patients.models import Diagnosis, Patient, Visit
from collis.providers.models import Clinician

_SIDED = [("", "Absent"), ("left", "Toward the left"), ("right", "Toward the right")]
_MIDLINE = [("", "Absent"), ("present", "Present")]
TRICK_ROWS = 3


def _pattern_field(form: ColCapForm) -> str:
    return f"pattern_{form.value}"


class DiagnosisForm(forms.ModelForm):
    """Diagnosis with the Col-Cap pattern as one select per form (clinical.md §2)."""

    class Meta:
        model = Diagnosis
        fields = [
            "condition",
            "primary_form",
            "onset_date",
            "has_tremor",
            "sensory_trick",
            "allergies",
            "relevant_history",
            "treating_clinician",
            "cause",
            "onset_age",
            "dopamine_blocker_exposure",
            "dopamine_blocker_detail",
            "family_history",
            "family_history_detail",
            "spread",
            "spread_detail",
            "referral_kind",
            "referred_on",
            "referral_outcome",
            "referral_outcome_on",
        ]
        widgets = {
            "onset_date": forms.DateInput(attrs={"type": "date"}),
            "referred_on": forms.DateInput(attrs={"type": "date"}),
            "referral_outcome_on": forms.DateInput(attrs={"type": "date"}),
            "has_tremor": forms.NullBooleanSelect(),
            "allergies": forms.Textarea(attrs={"rows": 2}),
            "relevant_history": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_form"] = forms.ChoiceField(
            label="Primary form",
            required=False,
            choices=[("", "—")] + [(f.value, FORM_LABELS[f]) for f in ColCapForm],
        )
        self.fields["treating_clinician"].queryset = Clinician.objects.active()
        current = {c["form"]: c.get("side") or "present" for c in self.instance.colcap_pattern}
        for form in ColCapForm:
            name = _pattern_field(form)
            self.fields[name] = forms.ChoiceField(
                label=FORM_LABELS[form],
                required=False,
                choices=_SIDED if form in SIDED_FORMS else _MIDLINE,
                initial=current.get(form.value, ""),
            )

        tricks = list(self.instance.sensory_tricks or [])
        for n in range(TRICK_ROWS):
            row = tricks[n] if n < len(tricks) else {}
            self.fields[f"trick_{n}"] = forms.ChoiceField(
                label=f"Sensory trick {n + 1}",
                required=False,
                choices=[("", "—")] + list(workup.SENSORY_TRICKS.items()),
                initial=row.get("trick", ""),
            )
            self.fields[f"trick_effect_{n}"] = forms.TypedChoiceField(
                label="How well it works (TWSTRS-2 grade)",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—")]
                + [(str(k), f"{k} – {v}") for k, v in workup.TRICK_EFFECT.items()],
                initial=row.get("effect", ""),
            )

    def pattern_fields(self):
        return [self[_pattern_field(form)] for form in ColCapForm]

    def trick_rows(self):
        return [(self[f"trick_{n}"], self[f"trick_effect_{n}"]) for n in range(TRICK_ROWS)]

    def workup_fields(self):
        names = (
            "cause",
            "onset_age",
            "dopamine_blocker_exposure",
            "dopamine_blocker_detail",
            "family_history",
            "family_history_detail",
            "spread",
            "spread_detail",
        )
        return [self[n] for n in names]

    def referral_fields(self):
        names = ("referral_kind", "referred_on", "referral_outcome", "referral_outcome_on")
        return [self[n] for n in names]

    def clean(self):
        data = super().clean()
        pattern = []
        for form in ColCapForm:
            value = data.get(_pattern_field(form))
            if value:
                pattern.append({"form": form.value, "side": "" if value == "present" else value})
        primary = data.get("primary_form")
        if primary and primary not in {c["form"] for c in pattern}:
            self.add_error("primary_form", "The primary form must be one of the forms present.")
        data["colcap_pattern"] = pattern
        tricks = []
        for n in range(TRICK_ROWS):
            trick, effect = data.get(f"trick_{n}"), data.get(f"trick_effect_{n}")
            if trick and effect is None:
                self.add_error(f"trick_effect_{n}", "Grade how well the trick works.")
            elif trick:
                tricks.append({"trick": trick, "effect": effect})
        data["sensory_tricks"] = tricks
        return data


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["occurred_at", "kind", "clinician", "notes"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"occurred_at": "Date and time"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = Clinician.objects.active()


class VisitNotesForm(forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


# Privacy and portal-account pages (collis.patients.account_views).
class PatientSearchForm(forms.Form):
    q = forms.CharField(label="Name or record number", max_length=100, required=False)


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit trail, e.g. the patient's erasure request and its date.",
    )
    confirm_mrn = forms.CharField(label="Type the medical record number to confirm", max_length=20)
    understood = forms.BooleanField(
        label="I understand this cannot be undone.",
    )

    def __init__(self, *args: object, patient: Patient, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_confirm_mrn(self) -> str:
        value = self.cleaned_data["confirm_mrn"].strip()
        if value != self.patient.mrn:
            raise forms.ValidationError("This is not the record number of this patient.")
        return value


class ReverifyForm(forms.Form):
    """An administrator re-verifies a patient's identity and their own password."""

    identity_evidence = forms.CharField(
        label="How was the patient's identity verified?",
        max_length=300,
        help_text="e.g. photo ID seen at the desk, with the date. Recorded in the audit trail.",
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.actor.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class LinkAccountForm(ReverifyForm):
    """Link an existing patient portal account to a record, after re-verifying identity."""

    username = forms.CharField(label="Portal account (username)", max_length=150)
    birth_date = SaneDateField(
        label="Patient's birth date, as they state it",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    field_order = ["username", "birth_date", "identity_evidence", "password"]

    def __init__(self, *args: object, patient: Patient, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_birth_date(self):
        stated = self.cleaned_data["birth_date"]
        if self.patient.birth_date is None or stated != self.patient.birth_date:
            raise forms.ValidationError("This does not match the birth date on the record.")
        return stated

    def clean_username(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError("No account has that username.")
        self.account = user
        return username
