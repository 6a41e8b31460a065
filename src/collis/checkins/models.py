"""Home video check-ins: consent for home recordings, the schedule, and each check-in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext

ORIGINALS_DIR = "checkins/originals"
ANNOTATED_DIR = "checkins/annotated"


class HomeRecordingConsent(models.Model):
    """The patient's own consent to record at home; separate from clinic consent, revocable.

    One row per grant; revoking stamps ``revoked_at``. The newest row decides.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="home_recording_consents"
    )
    statement = models.TextField()
    given_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"Home recording consent of {self.patient_id} ({state})"


class CheckinSchedule(models.Model):
    """When the clinic asks for check-ins: every ``interval_days`` from ``start_week``."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="checkin_schedule"
    )
    start_week = models.PositiveSmallIntegerField(default=2)
    interval_days = models.PositiveSmallIntegerField(default=7)
    active = models.BooleanField(default=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Check-ins of {self.patient_id} every {self.interval_days} d"


class CheckinReminder(models.Model):
    """One reminder e-mail per due date: never nag twice for the same missed check-in."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "due_on"], name="one_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.patient_id} for {self.due_on}"


class HomeCheckin(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="home_checkins"
    )
    recorded_at = models.DateTimeField()
    protocol_version = models.CharField(max_length=20)
    original = models.FileField(upload_to=ORIGINALS_DIR, max_length=200, blank=True)
    mime_type = models.CharField(max_length=40, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    mirrored = models.BooleanField(default=False)
    consent = models.ForeignKey(
        HomeRecordingConsent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.JSONField(null=True, blank=True, help_text="The DESIGN.md posture JSON.")
    segments = models.JSONField(default=dict, blank=True, help_text="Per protocol segment.")
    annotated = models.FileField(upload_to=ANNOTATED_DIR, max_length=200, blank=True)
    resting_rotation_deg = models.FloatField(null=True, blank=True)
    resting_laterocollis_deg = models.FloatField(null=True, blank=True)
    resting_flexion_deg = models.FloatField(null=True, blank=True)
    tremor_amplitude_deg = models.FloatField(null=True, blank=True)
    tremor_hz = models.FloatField(null=True, blank=True)
    patient_note = models.TextField(blank=True)
    error_message = models.TextField(blank=True, help_text="Plain words, safe for the patient.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    original_deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["reviewed_at", "recorded_at"])]

    def __str__(self) -> str:
        return f"Home check-in #{self.pk} of {self.patient_id}"

    def get_absolute_url(self) -> str:
        return reverse("checkins:review-detail", args=[self.pk])

    @property
    def is_analysed(self) -> bool:
        return self.result is not None

    @property
    def status(self) -> str:
        if self.result is not None:
            return "done"
        if self.job is None or self.error_message:
            return "failed"
        return self.job.state

    @property
    def status_label(self) -> str:
        return {
            "done": gettext("Analysed"),
            "failed": gettext("Could not be analysed"),
            "running": gettext("Being analysed"),
        }.get(self.status, gettext("Waiting to be analysed"))


class CheckinStill(models.Model):
    """The annotated still of one measured protocol segment (kept when the video is deleted)."""

    checkin = models.ForeignKey(HomeCheckin, on_delete=models.CASCADE, related_name="stills")
    segment = models.CharField(max_length=20)
    image = models.FileField(upload_to=ANNOTATED_DIR, max_length=200)
    t = models.FloatField(help_text="Seconds into the video.")

    class Meta:
        ordering = ["t", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "segment"], name="one_still_per_segment")
        ]

    def __str__(self) -> str:
        return f"Still of {self.segment} in check-in #{self.checkin_id}"


class CheckinMessage(models.Model):
    """A clinician's in-app message to the patient about a check-in ("Please book earlier")."""

    checkin = models.ForeignKey(HomeCheckin, on_delete=models.CASCADE, related_name="messages")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="checkin_messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sender_name = models.CharField(max_length=150, help_text="As the patient sees it.")
    body = models.TextField(max_length=2000)
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["patient", "read_at"])]

    def __str__(self) -> str:
        return f"Message to {self.patient_id} about check-in #{self.checkin_id}"
