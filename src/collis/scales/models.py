"""Stored scale assessments: the answers, the scale version, and scores only when complete."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    class Scale(models.TextChoices):
        TWSTRS = "twstrs", "TWSTRS"
        TSUI = "tsui", "Tsui"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not scored)"
        COMPLETE = "complete", "Complete"

    class Timepoint(models.TextChoices):
        # clinical.md §4 [V]: TWSTRS at trough (injection day) and at the 4–6-week peak.
        BASELINE = "baseline", _("Baseline (injection day)")
        PEAK = "peak", _("Peak (4–6 weeks after injection)")
        OTHER = "other", _("Other")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="assessments"
    )
    visit = models.ForeignKey(
        "patients.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    scale = models.CharField(max_length=10, choices=Scale.choices)
    scale_version = models.CharField(max_length=60)
    assessed_on = models.DateField()
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices, default=Timepoint.OTHER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    # Items pre-filled from a posture analysis and the grade suggested, e.g. {"rotation": 2}.
    suggestions = models.JSONField(default=dict, blank=True)
    # Extra inputs that are not items (e.g. best/worst/usual pain ratings).
    details = models.JSONField(default=dict, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["patient", "scale", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="complete", total__isnull=False)
                    | models.Q(status="draft", total__isnull=True)
                ),
                name="assessment_total_only_when_complete",
            )
        ]

    def __str__(self) -> str:
        score = self.total if self.total is not None else "draft"
        return f"{self.get_scale_display()} {self.assessed_on} ({score}) – {self.patient_id}"

    def get_absolute_url(self) -> str:
        return reverse("scales:assessment-detail", args=[self.pk])

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE
