from __future__ import annotations

from django import forms

from collis.injections import dosing
from collis.injections.models import AdverseEvent, ToxinLot
from collis.lib.fields import SaneDateField
from collis.providers.models import Clinician

MUSCLE_CHOICES = [("", "—")] + list(dosing.MUSCLES.items())
SIDE_CHOICES = [("left", "Left"), ("right", "Right")]
WARNING_CHOICES = [(c.value, c.value) for c in dosing.WarningCode]


class SessionForm(forms.Form):
    injected_on = SaneDateField(
        label="Injection date", widget=forms.DateInput(attrs={"type": "date"})
    )
    lot = forms.ModelChoiceField(
        queryset=ToxinLot.objects.select_related("product").filter(product__is_active=True),
        label="Product and lot",
    )
    dilution_units_per_ml = forms.DecimalField(
        label="Dilution (units per mL)", min_value=0.1, max_digits=7, decimal_places=1
    )
    clinician = forms.ModelChoiceField(queryset=Clinician.objects.active(), label="Injector")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    acknowledged = forms.MultipleChoiceField(
        choices=WARNING_CHOICES, required=False, widget=forms.MultipleHiddenInput
    )
    acknowledgement_reason = forms.CharField(
        label="Reason for going ahead despite the warnings",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class InjectionRowForm(forms.Form):
    muscle = forms.ChoiceField(choices=MUSCLE_CHOICES, required=False)
    side = forms.ChoiceField(choices=SIDE_CHOICES)
    units = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)  # DB integer
    volume_ml = forms.DecimalField(
        label="Volume (mL)", min_value=0.01, max_digits=5, decimal_places=2, required=False
    )
    sites = forms.IntegerField(min_value=1, max_value=20, initial=1)
    guidance = forms.ChoiceField(choices=list(dosing.GUIDANCE_LABELS.items()), initial="landmarks")

    def clean(self):
        data = super().clean()
        if data.get("muscle") and not data.get("units"):
            self.add_error("units", "Enter the units for this muscle, or clear the muscle.")
        if data.get("units") and not data.get("muscle"):
            self.add_error("muscle", "Choose the muscle these units go into.")
        return data

    def planned(self) -> dosing.PlannedInjection | None:
        data = self.cleaned_data
        if not data.get("muscle"):
            return None
        return dosing.PlannedInjection(
            data["muscle"],
            dosing.Side(data["side"]),
            data["units"],
            data.get("sites") or 1,
            data.get("volume_ml"),
            data["guidance"],
        )


InjectionRowFormSet = forms.formset_factory(InjectionRowForm, extra=0, max_num=30)


class AdverseEventForm(forms.ModelForm):
    class Meta:
        model = AdverseEvent
        fields = ["kind", "severity", "reported_on", "onset_days", "duration_days", "note"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class CycleReportForm(forms.Form):
    onset_week = forms.IntegerField(
        label="Effect started (week after injection)", min_value=0, max_value=30, required=False
    )
    peak_week = forms.IntegerField(
        label="Best effect (week)", min_value=0, max_value=30, required=False
    )
    wearing_off_week = forms.IntegerField(
        label="Wore off (week)", min_value=0, max_value=40, required=False
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        onset, peak, off = (
            data.get("onset_week"),
            data.get("peak_week"),
            data.get("wearing_off_week"),
        )
        if onset is not None and peak is not None and peak < onset:
            self.add_error("peak_week", "The best effect cannot come before the effect started.")
        if peak is not None and off is not None and off < peak:
            self.add_error("wearing_off_week", "Wearing off cannot come before the best effect.")
        return data
