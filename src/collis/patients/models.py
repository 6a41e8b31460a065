from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collis.lib.clinic_time import to_clinic
from collis.patients import workup
from collis.patients.colcap import FORM_LABELS, ColCapForm, PostureComponent, Side


class Patient(models.Model):
    """A person treated at the clinic. A portal account (``user``) is optional."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Unknown"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
    )
    mrn = models.CharField("medical record number", max_length=20, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_language = models.CharField(max_length=60, blank=True)
    is_pending_contact = models.BooleanField(
        "pending contact",
        default=False,
        help_text="Booked or joined the waitlist online and not yet seen: not in clinicians' "
        "patient lists until the first visit or until staff confirm the record.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    email_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the email address last changed after registration. An invitation to "
        "a changed address is an administrator's decision (the identity is re-verified).",
    )

    class Meta:
        ordering = ["family_name", "given_name"]

    _loaded_email: str | None = None

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name} ({self.mrn})"

    def save(self, *args, **kwargs) -> None:
        # Whoever changes the address (admin, desk, import), the invitation guard sees it.
        if (
            self.pk is not None
            and self._loaded_email is not None
            and self.email.strip().lower() != self._loaded_email.strip().lower()
        ):
            from django.utils import timezone

            self.email_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "email" in update_fields:
                kwargs["update_fields"] = {*update_fields, "email_changed_at"}
        super().save(*args, **kwargs)
        self._loaded_email = self.email

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "email" in field_names:
            instance._loaded_email = instance.email
        return instance

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def initials(self) -> str:
        return f"{self.given_name[:1]}{self.family_name[:1]}".upper()

    def get_admin_url(self) -> str:
        return reverse("admin:patients_patient_change", args=[self.pk])


class Diagnosis(models.Model):
    """The clinical side of a patient: what the front desk never sees (kept off ``Patient``)."""

    class Side(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="diagnosis")
    condition = models.CharField(max_length=120, default="Cervical dystonia")
    # Col-Cap forms present, e.g. [{"form": "torticaput", "side": "left"}]; ``side`` is the side
    # the head turns or tilts toward, empty for midline forms (clinical.md §2).
    colcap_pattern = models.JSONField(default=list, blank=True)
    primary_form = models.CharField(max_length=30, blank=True)
    onset_date = models.DateField(null=True, blank=True)
    has_tremor = models.BooleanField("head tremor", null=True, blank=True)
    sensory_trick = models.CharField(
        max_length=200, blank=True, help_text="e.g. touching the chin; empty if none known"
    )
    allergies = models.TextField(blank=True)
    relevant_history = models.TextField(blank=True)
    # Work-up (collis.patients.workup holds the choices and the consistency checks).
    cause = models.CharField(
        max_length=20, choices=list(workup.CAUSES.items()), default="unknown", blank=True
    )
    onset_age = models.PositiveSmallIntegerField("age at onset", null=True, blank=True)
    dopamine_blocker_exposure = models.CharField(
        "exposure to dopamine-blocking drugs",
        max_length=10,
        choices=list(workup.EXPOSURE.items()),
        default="unknown",
        blank=True,
    )
    dopamine_blocker_detail = models.CharField("which drugs, when", max_length=200, blank=True)
    family_history = models.CharField(
        max_length=10, choices=list(workup.FAMILY_HISTORY.items()), default="unknown", blank=True
    )
    family_history_detail = models.CharField(max_length=200, blank=True)
    spread = models.CharField(
        "spread beyond the neck",
        max_length=12,
        choices=list(workup.SPREAD.items()),
        default="unknown",
        blank=True,
    )
    spread_detail = models.CharField("regions involved", max_length=200, blank=True)
    # [{"trick": key of workup.SENSORY_TRICKS, "effect": 0–4, "note": str}]
    sensory_tricks = models.JSONField(default=list, blank=True)
    referral_kind = models.CharField(
        "referred for", max_length=25, choices=list(workup.REFERRAL_KINDS.items()), blank=True
    )
    referred_on = models.DateField(null=True, blank=True)
    referral_outcome = models.CharField(
        max_length=15, choices=list(workup.REFERRAL_OUTCOMES.items()), blank=True
    )
    referral_outcome_on = models.DateField("outcome date", null=True, blank=True)
    treating_clinician = models.ForeignKey(
        "providers.Clinician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="treated_patients",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "diagnoses"

    def __str__(self) -> str:
        return f"{self.condition} – {self.patient}"

    def components(self):
        """Return the pattern as pure ``PostureComponent`` values for decision support."""
        return [
            PostureComponent(ColCapForm(c["form"]), Side(c["side"]) if c.get("side") else None)
            for c in self.colcap_pattern
        ]

    def trick_lines(self) -> list[str]:
        """Return each structured sensory trick as "trick: effect"."""
        return [
            f"{workup.SENSORY_TRICKS.get(t.get('trick'), t.get('trick'))}: "
            f"{workup.TRICK_EFFECT.get(t.get('effect'), '?').lower()}"
            for t in self.sensory_tricks or []
        ]

    @property
    def pattern_display(self) -> str:
        parts = []
        for c in self.colcap_pattern:
            label = FORM_LABELS[ColCapForm(c["form"])].split(" (")[0]
            parts.append(f"{label} to the {c['side']}" if c.get("side") else label)
        return ", ".join(parts)


class Visit(models.Model):
    """One encounter of a patient with a clinician, with the clinician's notes."""

    class Kind(models.TextChoices):
        NEW_PATIENT = "new_patient", _("New patient")
        INJECTION = "injection", _("Injection visit")
        REVIEW = "review", _("Review (4–6 weeks after injection)")
        THERAPY = "therapy", _("Physical therapy")
        TELEHEALTH = "telehealth", _("Telehealth")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="visits")
    clinician = models.ForeignKey(
        "providers.Clinician", on_delete=models.PROTECT, related_name="visits"
    )
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INJECTION)
    notes = models.TextField(blank=True)
    appointment = models.OneToOneField(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit",
        help_text="The booking this encounter took place in, if it was booked.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["patient", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {to_clinic(self.occurred_at):%Y-%m-%d} – {self.patient}"

    def get_absolute_url(self) -> str:
        return reverse("patients:visit-detail", args=[self.pk])
