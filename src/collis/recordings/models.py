"""A photo or video of a patient's head posture, taken at a visit, and what its analysis found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from collis.audit.softdelete import SoftDeletable

# Files live under MEDIA_ROOT, which has no URL route: views stream them after an access check.
ORIGINALS_DIR = "posture/originals"
ANNOTATED_DIR = "posture/annotated"

# Denormalised from the result JSON so charts across visits need no JSON parsing.
SUMMARY_FIELDS = (
    "rotation_deg",
    "laterocollis_deg",
    "flexion_deg",
    "tremor_hz",
    "tremor_amplitude_deg",
    "shoulder_elevation_deg",
)


class PostureRecording(SoftDeletable):
    """One upload. The original can be deleted later; the measurements are kept."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Photo"
        VIDEO = "video", "Video"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be analysed"
        RUNNING = "running", "Being analysed"
        DONE = "done", "Analysed"
        FAILED = "failed", "Analysis failed"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="posture_recordings"
    )
    visit = models.ForeignKey(
        "patients.Visit", on_delete=models.PROTECT, related_name="posture_recordings"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    original = models.FileField(upload_to=ORIGINALS_DIR, max_length=200, blank=True)
    original_filename = models.CharField(
        max_length=255, blank=True, help_text="As uploaded; for display only, never a path."
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    mime_type = models.CharField(max_length=40)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    duration_seconds = models.FloatField(null=True, blank=True)
    mirrored = models.BooleanField(default=False, help_text="Taken with a selfie camera.")
    consent_confirmed = models.BooleanField()
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consent_confirmed_at = models.DateTimeField()
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.JSONField(null=True, blank=True, help_text="The DESIGN.md posture JSON.")
    suggestions = models.JSONField(
        default=list, blank=True, help_text="TWSTRS severity suggestions with their basis."
    )
    annotated = models.FileField(upload_to=ANNOTATED_DIR, max_length=200, blank=True)
    rotation_deg = models.FloatField(null=True, blank=True)
    laterocollis_deg = models.FloatField(null=True, blank=True)
    flexion_deg = models.FloatField(null=True, blank=True)
    tremor_hz = models.FloatField(null=True, blank=True)
    tremor_amplitude_deg = models.FloatField(null=True, blank=True)
    shoulder_elevation_deg = models.FloatField(null=True, blank=True)
    is_neutral = models.BooleanField(
        default=False,
        help_text="Marked by a clinician as the patient's neutral posture: later analyses report "
        "flexion against it.",
    )
    error_message = models.TextField(blank=True, help_text="Safe to show to the clinician.")
    created_at = models.DateTimeField(auto_now_add=True)
    original_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_confirmed=True), name="posture_recording_has_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} of {self.patient_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("recordings:recording-detail", args=[self.pk])

    @property
    def status(self) -> str:
        """The job's state; rows without a job (demo, imported) are done once they hold a result."""
        if self.result is not None:
            return self.Status.DONE
        if self.job is None:
            return self.Status.FAILED
        return self.job.state

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def is_analysed(self) -> bool:
        return self.result is not None

    @property
    def has_original(self) -> bool:
        return bool(self.original)

    @property
    def camera_flexion_deg(self) -> float | None:
        """Flexion against the packaged reference face (undoing any neutral it was read against)."""
        if not self.result:
            return None
        flexion = (self.result.get("angles") or {}).get("flexion_deg")
        if flexion is None:
            return None
        offset = (self.result.get("flexion_reference") or {}).get("offset_deg") or 0.0
        return float(flexion) + float(offset)
