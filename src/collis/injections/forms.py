from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collis.injections import dosing, safety
from collis.injections.models import AdverseEvent, AntibodyTest, ToxinLot
from collis.lib.fields import SaneDateField
from collis.providers.models import Clinician

MUSCLE_CHOICES = [("", "—")] + list(dosing.MUSCLES.items())
SIDE_CHOICES = [("left", "Left"), ("right", "Right")]
WARNING_CHOICES = [(c.value, c.value) for c in dosing.WarningCode]
# CGI-C / PGI-C seven-point change scale (Guy 1976, ECDEU) [S].
CHANGE_SCALE = [
    (1, "1 – very much improved"),
    (2, "2 – much improved"),
    (3, "3 – minimally improved"),
    (4, "4 – no change"),
    (5, "5 – minimally worse"),
    (6, "6 – much worse"),
    (7, "7 – very much worse"),
]
GAS_LEVELS = [
    (-2, "−2 much less than expected"),
    (-1, "−1 less than expected"),
    (0, "0 expected outcome"),
    (1, "+1 more than expected"),
    (2, "+2 much more than expected"),
]


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
    switch_reason = forms.ChoiceField(
        label="If the product differs from last time: why",
        choices=[("", "—")] + list(safety.SWITCH_REASONS.items()),
        required=False,
    )
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
    guidance = forms.ChoiceField(
        choices=[("", "— choose —")] + list(dosing.GUIDANCE_LABELS.items()),
        initial="landmarks",
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("muscle") and not data.get("guidance"):
            self.add_error("guidance", "Choose the guidance used for this muscle.")
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
    muscles = forms.MultipleChoiceField(
        choices=list(dosing.MUSCLES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Linked to these injected muscles (leave empty to use the usual links for the kind)",
    )

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


class ScreeningForm(forms.Form):
    """The pre-injection checklist on the injection visit (safety.SCREENING_QUESTIONS)."""

    toxin_naive = forms.BooleanField(
        label="Never had botulinum toxin before (toxin-naive)", required=False
    )
    elsewhere_product = forms.ChoiceField(
        label="Toxin given elsewhere or for another reason (cosmetic too) in the last months",
        choices=[("", "— none —")] + [(c.value, c.value) for c in dosing.ProductCode],
        required=False,
    )
    elsewhere_on = SaneDateField(
        label="Given on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    elsewhere_units = forms.IntegerField(
        label="Units (that product's)", min_value=1, required=False
    )
    elsewhere_indication = forms.CharField(label="For", max_length=80, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, question in safety.SCREENING_QUESTIONS.items():
            self.fields[f"q_{key}"] = forms.BooleanField(label=question.label, required=False)

    def question_fields(self):
        return [self[f"q_{key}"] for key in safety.SCREENING_QUESTIONS]

    def clean(self):
        data = super().clean()
        parts = [data.get(k) for k in ("elsewhere_product", "elsewhere_on", "elsewhere_units")]
        if any(parts) and not all(parts):
            self.add_error(
                "elsewhere_product", "Give the product, the date and the units, or none of them."
            )
        return data

    def answers(self) -> safety.ScreeningAnswers:
        data = self.cleaned_data
        elsewhere = ()
        if data.get("elsewhere_product"):
            elsewhere = (
                safety.ToxinElsewhere(
                    data["elsewhere_product"],
                    data["elsewhere_on"].isoformat(),
                    data["elsewhere_units"],
                    data.get("elsewhere_indication", ""),
                ),
            )
        return safety.ScreeningAnswers(
            toxin_naive=bool(data.get("toxin_naive")),
            answers={k: bool(data.get(f"q_{k}")) for k in safety.SCREENING_QUESTIONS},
            toxins_elsewhere=elsewhere,
        )


class CycleOutcomeForm(forms.Form):
    assessed_on = SaneDateField(widget=forms.DateInput(attrs={"type": "date"}))
    cgi_c = forms.TypedChoiceField(
        label="CGI-C (clinician's global impression of change)",
        choices=[("", "—")] + [(str(k), v) for k, v in CHANGE_SCALE],
        coerce=int,
        empty_value=None,
        required=False,
    )
    pgi_c = forms.TypedChoiceField(
        label="PGI-C (patient's global impression of change)",
        choices=[("", "—")] + [(str(k), v) for k, v in CHANGE_SCALE],
        coerce=int,
        empty_value=None,
        required=False,
    )
    pain_nrs_peak = forms.IntegerField(
        label="Pain at the best effect (0 none – 10 worst)",
        min_value=0,
        max_value=10,
        required=False,
    )
    cdip58_score = forms.DecimalField(
        label="CDIP-58 total, from the licensed paper form (0–100)",
        min_value=0,
        max_value=100,
        decimal_places=1,
        required=False,
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class GasGoalForm(forms.Form):
    description = forms.CharField(label="Goal", max_length=200)
    weight = forms.IntegerField(min_value=1, max_value=3, initial=1)
    baseline_level = forms.TypedChoiceField(
        choices=[("-2", "−2 (much less than expected)"), ("-1", "−1 (less than expected)")],
        coerce=int,
        initial="-1",
    )
    attained_level = forms.TypedChoiceField(
        label="Attained (at review)",
        choices=[("", "— not yet rated —")] + [(str(k), v) for k, v in GAS_LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
    )


class AntibodyTestForm(forms.ModelForm):
    class Meta:
        model = AntibodyTest
        fields = ["tested_on", "toxin_type", "method", "result", "titre", "note"]
        widgets = {
            "tested_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class SideEffectReportForm(forms.Form):
    """What a patient reports from the portal (plain words, grade 6–8), in their language."""

    symptoms = forms.MultipleChoiceField(
        label=_("What is happening?"),
        # The symptom texts are marked in safety.py and translated here, per request.
        choices=[(kind, _(text)) for kind, text in safety.PATIENT_SYMPTOMS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    severe = forms.BooleanField(
        label=_("It is bad: I can hardly swallow, or I choke on food or drink"), required=False
    )
    started_on = SaneDateField(
        label=_("When did it start?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Tell us more (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class SideEffectReviewForm(forms.Form):
    review_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    record_as = forms.ChoiceField(
        label="Also record as an adverse event of the last session",
        choices=[("", "— no —")] + list(safety.EVENT_LABELS.items()),
        required=False,
    )
    severity = forms.ChoiceField(choices=AdverseEvent.Severity.choices, initial="moderate")
