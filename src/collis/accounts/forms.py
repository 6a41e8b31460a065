from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collis.lib.fields import SaneDateField
from collis.patients.models import Patient


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TwoFactorOffForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class EnrolmentForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("After scanning, type the 6-digit code the app shows."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )

    def __init__(self, *args: object, ask_password: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if ask_password:  # moving to a new phone: the password again, as for every 2FA change
            self.fields["password"] = forms.CharField(
                label=_("Your current password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
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
