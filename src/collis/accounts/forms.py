from __future__ import annotations

from django import forms

from collis.patients.models import Patient


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TwoFactorOffForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class EnrolmentForm(forms.Form):
    token = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="After scanning, type the 6-digit code the app shows.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


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
