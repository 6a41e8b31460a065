"""Forms: parse and validate input; the actions decide."""

from __future__ import annotations

import uuid
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collis.lib.fields import SaneDateField
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling.availability import clinic_zone
from collis.scheduling.models import Appointment, AppointmentType

FIRST_AVAILABLE = "any"


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class BookingDetailsForm(forms.Form):
    """Contact details and reason; no account needed."""

    given_name = forms.CharField(label=_("First name"), max_length=100)
    family_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("Email"), help_text=_("We send the confirmation and your links here.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    birth_date = SaneDateField(
        label=_("Date of birth"),
        widget=DateInput,
        help_text=_("With your email, this finds your record if you have been here before."),
    )
    reason = forms.CharField(
        label=_("Reason for the visit"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('For example "new to the clinic with neck turning" or "re-injection".'),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, patient: Patient | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        if patient is not None:
            # A signed-in or recalled patient is already known: no need to prove who they are.
            del self.fields["birth_date"]
            self.initial.update(
                given_name=patient.given_name,
                family_name=patient.family_name,
                email=patient.email,
                phone=patient.phone,
            )

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value


class WaitlistForm(forms.Form):
    given_name = forms.CharField(label=_("First name"), max_length=100)
    family_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    birth_date = SaneDateField(label=_("Date of birth"), widget=DateInput)
    earliest = SaneDateField(label=_("From"), widget=DateInput)
    latest = SaneDateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, patient: Patient | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if patient is not None:
            # Known already: ask only for the dates.
            for name in ("given_name", "family_name", "email", "phone", "birth_date"):
                del self.fields[name]

    def clean_latest(self):
        value = self.cleaned_data.get("latest")
        if value and value < timezone.localdate():
            raise forms.ValidationError("This date has passed. Choose a date from today on.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("earliest") and data.get("latest") and data["latest"] < data["earliest"]:
            raise forms.ValidationError(_("“Until” must not be before “From”."))
        return data


class LocalDateTimeMixin:
    """Combine a date and a wall-clock time in the clinic zone into an aware instant."""

    def local_start(self) -> datetime:
        data = self.cleaned_data  # type: ignore[attr-defined]
        naive = datetime.combine(data["date"], data["time"])
        return naive.replace(tzinfo=clinic_zone())


class DeskBookingForm(LocalDateTimeMixin, forms.Form):
    patient = forms.ModelChoiceField(queryset=Patient.objects.all())
    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(is_active=True)
    )
    clinician = forms.ModelChoiceField(queryset=Clinician.objects.active())
    location = forms.ModelChoiceField(queryset=Location.objects.filter(is_active=True))
    date = SaneDateField(widget=DateInput)
    time = forms.TimeField(widget=TimeInput)
    reason = forms.CharField(max_length=500, required=False, label=_("Reason for the visit"))
    override_reason = forms.CharField(
        max_length=500,
        required=False,
        label=_("Override reason"),
        help_text=_(
            "Only to book outside the clinician's hours, or (clinicians) a re-injection "
            "before the minimum interval. It is recorded."
        ),
    )


class RecallActionForm(forms.Form):
    until = forms.DateField(widget=DateInput, required=False, label="Back on the list on")
    reason = forms.CharField(max_length=300, required=False, label="Reason")


class FreeTimesForm(forms.Form):
    """The desk's slot picker: a clinician's free times for a visit type on one day."""

    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(is_active=True), label="Visit type"
    )
    clinician = forms.ModelChoiceField(queryset=Clinician.objects.active())
    date = forms.DateField(widget=DateInput, label="Day")


class MoveForm(LocalDateTimeMixin, forms.Form):
    clinician = forms.ModelChoiceField(queryset=Clinician.objects.active())
    date = SaneDateField(widget=DateInput)
    time = forms.TimeField(widget=TimeInput)
    override_reason = forms.CharField(max_length=500, required=False, label=_("Override reason"))


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label=_("Reason (optional)"))


class UndoStatusForm(forms.Form):
    reason = forms.CharField(
        max_length=500, label="Why undo it?", help_text="For example “marked the wrong patient”."
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Appointment.Status.choices)


class CalendarFilterForm(forms.Form):
    view = forms.ChoiceField(choices=[("day", "Day"), ("week", "Week")], required=False)
    date = SaneDateField(widget=DateInput, required=False)
    clinician = forms.ModelChoiceField(
        queryset=Clinician.objects.active(),
        required=False,
        to_field_name="slug",
        empty_label=_("All clinicians"),
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=_("All locations"),
    )


class WaitlistFilterForm(forms.Form):
    """The staff waitlist's filters: visit type, clinician, a day inside the window, status."""

    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.filter(is_active=True),
        required=False,
        label="Visit type",
        empty_label="All visit types",
    )
    clinician = forms.ModelChoiceField(
        queryset=Clinician.objects.active(), required=False, empty_label="All clinicians"
    )
    day = forms.DateField(widget=DateInput, required=False, label="Free on")
    status = forms.ChoiceField(
        choices=[
            ("open", "Waiting or offered"),
            ("waiting", "Waiting"),
            ("offered", "Offered"),
            ("booked", "Booked"),
            ("withdrawn", "Withdrawn"),
        ],
        required=False,
    )


class OfferSlotForm(LocalDateTimeMixin, forms.Form):
    """The time offered to a waitlisted patient (filled by the slot picker)."""

    clinician = forms.ModelChoiceField(queryset=Clinician.objects.active())
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True), required=False, empty_label="Any"
    )
    date = forms.DateField(widget=DateInput)
    time = forms.TimeField(widget=TimeInput)


class NewPatientForm(forms.Form):
    """The desk booking form's inline "new patient": enough to book and reach them."""

    given_name = forms.CharField(max_length=100, label="First name")
    family_name = forms.CharField(max_length=100, label="Last name")
    birth_date = forms.DateField(widget=DateInput, label="Birth date")
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email")):
            raise forms.ValidationError("Give a phone number or an email.")
        return data
