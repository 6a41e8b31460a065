from __future__ import annotations

from django.conf import settings
from django.db import models


class PatientAnonymisation(models.Model):
    """The record that a patient's identity was stripped: when, by whom and why. Irreversible."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="anonymisation"
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    erased = models.JSONField(
        default=dict, blank=True, help_text="What was erased, by kind: how many rows or files."
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Patient {self.patient_id} anonymised {self.at:%Y-%m-%d}"
