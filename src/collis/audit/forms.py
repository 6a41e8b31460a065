from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from collis.audit.models import AuditEvent
from collis.lib.fields import IdField, SaneDateField


class AuditFilterForm(forms.Form):
    """Filters shared by the trail page and its exports (same query string)."""

    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *AuditEvent.Action.choices]
    )
    actor = forms.CharField(label="Who (username)", required=False, max_length=150)
    patient_id = IdField(label="Patient id", required=False)
    object_type = forms.CharField(
        label="Record type", required=False, max_length=100, help_text="e.g. patients.Patient"
    )
    since = SaneDateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = SaneDateField(
        label="To (inclusive)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def active_filters(self) -> dict[str, str]:
        """The filters in use, as strings, for the audit entry of an export."""
        return {
            name: str(value) for name, value in self.cleaned_data.items() if value not in (None, "")
        }

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("actor"):
            events = events.filter(actor_label__iexact=data["actor"].strip())
        if data.get("patient_id"):
            events = events.filter(patient_id=data["patient_id"])
        if data.get("object_type"):
            events = events.filter(object_type__iexact=data["object_type"].strip())
        zone = timezone.get_current_timezone()
        if data.get("since"):
            events = events.filter(at__gte=datetime.combine(data["since"], time.min, zone))
        if data.get("until"):
            events = events.filter(at__lte=datetime.combine(data["until"], time.max, zone))
        return events
