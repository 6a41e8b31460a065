"""Forms of the supply pages: they parse input; the actions decide."""

from __future__ import annotations

from django import forms

from collis.injections.models import ToxinLot, ToxinProduct
from collis.patients.models import Patient
from collis.providers.models import Location
from collis.supply.models import StockAdjustment

DATE = forms.DateInput(attrs={"type": "date"})


class ReceiveForm(forms.Form):
    product = forms.ModelChoiceField(ToxinProduct.objects.filter(is_active=True))
    lot_number = forms.CharField(max_length=40)
    vial_size_units = forms.IntegerField(min_value=1, label="Vial size (units)")
    expires_on = forms.DateField(widget=DATE)
    vials = forms.IntegerField(min_value=1, label="Vials received")
    ndc = forms.CharField(max_length=13, label="NDC (from the carton)")
    supplier = forms.CharField(max_length=120)
    received_on = forms.DateField(widget=DATE)
    location = forms.ModelChoiceField(Location.objects.filter(is_active=True))


class AdjustForm(forms.Form):
    location = forms.ModelChoiceField(Location.objects.filter(is_active=True))
    vials = forms.IntegerField(help_text="Negative removes vials from stock.")
    reason = forms.ChoiceField(
        choices=[c for c in StockAdjustment.Reason.choices if c[0] not in {"count", "transfer"}]
    )
    note = forms.CharField(max_length=300, required=False)


class CountForm(forms.Form):
    location = forms.ModelChoiceField(Location.objects.filter(is_active=True))
    counted_vials = forms.IntegerField(min_value=0, label="Unopened vials counted")
    note = forms.CharField(max_length=300, required=False)


class TransferForm(forms.Form):
    from_location = forms.ModelChoiceField(Location.objects.filter(is_active=True), label="From")
    to_location = forms.ModelChoiceField(Location.objects.filter(is_active=True), label="To")
    vials = forms.IntegerField(min_value=1)
    note = forms.CharField(max_length=300, required=False)


class RecallForm(forms.Form):
    note = forms.CharField(max_length=300, label="Recall notice (reference)")


class OpenVialForm(forms.Form):
    lot = forms.ModelChoiceField(ToxinLot.objects.select_related("product"))
    location = forms.ModelChoiceField(Location.objects.filter(is_active=True))
    diluent_ml = forms.DecimalField(
        min_value=0, max_digits=5, decimal_places=2, required=False, label="Diluent (mL)"
    )


class DrawForm(forms.Form):
    """One units field per selectable vial (named ``vial_<id>``)."""

    def __init__(self, *args, vials=(), **kwargs):
        super().__init__(*args, **kwargs)
        for vial, state in vials:
            self.fields[f"vial_{vial.pk}"] = forms.IntegerField(
                min_value=0,
                max_value=state.remaining_units,
                required=False,
                label=(
                    f"Vial #{vial.pk}: lot {vial.lot.lot_number}, {state.remaining_units} of "
                    f"{vial.size_units} U left"
                ),
            )

    def draws(self, vials):
        return [
            (vial, self.cleaned_data[f"vial_{vial.pk}"])
            for vial, _ in vials
            if self.cleaned_data.get(f"vial_{vial.pk}")
        ]


class AuthorisationForm(forms.Form):
    patient = forms.ModelChoiceField(Patient.objects.order_by("family_name", "given_name"))
    payer = forms.CharField(max_length=120)
    number = forms.CharField(max_length=60, label="Authorisation number")
    product = forms.ModelChoiceField(ToxinProduct.objects.filter(is_active=True))
    units_per_session = forms.IntegerField(min_value=1)
    sessions_approved = forms.IntegerField(min_value=1, label="Sessions (visits) approved")
    valid_from = forms.DateField(widget=DATE)
    valid_to = forms.DateField(widget=DATE)
    diagnosis_code = forms.CharField(max_length=10, initial="G24.3")
    procedure_code = forms.CharField(max_length=10, initial="64616")
    note = forms.CharField(max_length=300, required=False)


class PolicyForm(forms.Form):
    multi_patient_vials = forms.BooleanField(
        required=False, label="Allow one single-dose vial to serve several patients"
    )
    multi_patient_policy = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Documented policy"
    )
    expiring_soon_days = forms.IntegerField(min_value=1, max_value=365)


class DayForm(forms.Form):
    date = forms.DateField(widget=DATE, required=False)


class MonthForm(forms.Form):
    month = forms.RegexField(
        regex=r"^\d{4}-\d{2}$",
        required=False,
        error_messages={"invalid": "Enter the month as YYYY-MM, for example 2026-10."},
    )

    def clean_month(self) -> tuple[int, int] | None:
        """The month as (year, month), or None when not given."""
        raw = self.cleaned_data.get("month")
        if not raw:
            return None
        year, month = int(raw[:4]), int(raw[5:])
        if not 1 <= month <= 12 or year < 1900:
            raise forms.ValidationError("There is no such month: use YYYY-MM, for example 2026-10.")
        return year, month
