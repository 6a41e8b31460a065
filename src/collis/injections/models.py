"""Toxin products, lots, sessions, per-muscle injections, adverse events and cycle reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collis.injections import dosing, safety


class ToxinProduct(models.Model):
    """A product and the label figures the checks use (seeded from ``dosing.LABELS``)."""

    code = models.CharField(
        max_length=30, unique=True, choices=[(c.value, c.value) for c in dosing.ProductCode]
    )
    generic_name = models.CharField(max_length=60)
    brand = models.CharField(max_length=60)
    session_limit_units = models.PositiveIntegerField(null=True, blank=True)
    limit_window_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Empty: the limit is per session. Otherwise the limit counts every session within "
            "this many days; it may not be longer than the minimum interval "
            "(see dosing.BOTOX_WINDOW_DAYS)."
        ),
    )
    recommended_max_units = models.PositiveIntegerField(null=True, blank=True)
    scm_advisory_units = models.PositiveIntegerField(null=True, blank=True)
    # Minimum re-treatment interval; 84 days (12 weeks) unless the label says otherwise:
    # see dosing.LABELS for the clinical.md §3/§4 source of each product's figure.
    min_interval_days = models.PositiveSmallIntegerField(default=dosing.TWELVE_WEEKS_DAYS)
    vial_sizes = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["brand"]

    def __str__(self) -> str:
        return f"{self.brand} ({self.generic_name})"

    @property
    def unit_label(self) -> str:
        return f"{self.brand} units"

    def label(self) -> dosing.ProductLabel:
        """Return the pure label rules, with this clinic's stored figures."""
        base = dosing.LABELS[self.code]
        return dosing.ProductLabel(
            code=self.code,
            generic_name=self.generic_name,
            brand=self.brand,
            session_limit_units=self.session_limit_units,
            limit_window_days=self.limit_window_days,
            recommended_max_units=self.recommended_max_units,
            scm_advisory_units=self.scm_advisory_units,
            min_interval_days=self.min_interval_days,
            units_per_botox_unit=base.units_per_botox_unit,
            vial_sizes=tuple(self.vial_sizes),
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not isinstance(self.vial_sizes, list):
            raise ValidationError({"vial_sizes": "A list of whole numbers of units."})
        problems = dosing.validate_label(self.label())
        if problems:
            raise ValidationError(list(problems))


class ToxinLot(models.Model):
    product = models.ForeignKey(ToxinProduct, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(max_length=40)
    vial_size_units = models.PositiveIntegerField()
    expires_on = models.DateField()

    class Meta:
        ordering = ["product__brand", "expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_number"], name="unique_lot_per_product")
        ]

    def __str__(self) -> str:
        return (
            f"{self.product.brand} lot {self.lot_number}, {self.vial_size_units} U vial, "
            f"expires {self.expires_on:%Y-%m-%d}"
        )


class InjectionSession(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="injection_sessions"
    )
    visit = models.ForeignKey(
        "patients.Visit", on_delete=models.PROTECT, related_name="injection_sessions"
    )
    product = models.ForeignKey(ToxinProduct, on_delete=models.PROTECT, related_name="sessions")
    lot = models.ForeignKey(ToxinLot, on_delete=models.PROTECT, related_name="sessions")
    injected_on = models.DateField()
    dilution_units_per_ml = models.DecimalField(
        "dilution (units per mL)", max_digits=7, decimal_places=1
    )
    total_units = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    # Why the product differs from the previous session's (empty when it does not).
    switch_reason = models.CharField(
        max_length=30, choices=list(safety.SWITCH_REASONS.items()), blank=True
    )
    # Label warnings shown at recording time and the clinician's reason for going ahead.
    warnings = models.JSONField(default=list, blank=True)
    acknowledgement_reason = models.TextField(blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-injected_on", "-pk"]
        indexes = [models.Index(fields=["patient", "injected_on"])]

    def __str__(self) -> str:
        return f"{self.product.brand} {self.total_units} U on {self.injected_on} – {self.patient}"

    def get_absolute_url(self) -> str:
        return reverse("injections:session-detail", args=[self.pk])

    def planned(self) -> tuple[dosing.PlannedInjection, ...]:
        return tuple(i.planned() for i in self.injections.all())


class Injection(models.Model):
    class Side(models.TextChoices):
        LEFT = "left", _("Left")
        RIGHT = "right", _("Right")

    session = models.ForeignKey(
        InjectionSession, on_delete=models.CASCADE, related_name="injections"
    )
    muscle = models.CharField(max_length=40, choices=list(dosing.MUSCLES.items()))
    side = models.CharField(max_length=5, choices=Side.choices)
    units = models.PositiveIntegerField(help_text="In the session product's own units.")
    volume_ml = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    sites = models.PositiveSmallIntegerField(default=1)
    guidance = models.CharField(
        max_length=12, choices=list(dosing.GUIDANCE_LABELS.items()), default="landmarks"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "muscle", "side"], name="one_row_per_muscle_side"
            ),
            models.CheckConstraint(condition=models.Q(units__gt=0), name="injection_units_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_muscle_display()} {self.side}: {self.units} U"

    def planned(self) -> dosing.PlannedInjection:
        return dosing.PlannedInjection(
            self.muscle,
            dosing.Side(self.side),
            self.units,
            self.sites,
            self.volume_ml,
            self.guidance,
        )


class AdverseEvent(models.Model):
    # clinical.md §3 Safety and the boxed-warning effects: see safety.EventKind for sources.
    Kind = models.TextChoices(
        "Kind", [(k.name, (k.value, safety.EVENT_LABELS[k])) for k in safety.EventKind]
    )

    class Severity(models.TextChoices):
        MILD = "mild", _("Mild")
        MODERATE = "moderate", _("Moderate")
        SEVERE = "severe", _("Severe")

    session = models.ForeignKey(
        InjectionSession, on_delete=models.CASCADE, related_name="adverse_events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    onset_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days after the injection."
    )
    duration_days = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    # Muscle codes the clinician links the event to; empty: safety.EVENT_MUSCLES by kind.
    muscles = models.JSONField(default=list, blank=True)
    reported_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.severity})"


class CycleReport(models.Model):
    """What the patient reports about one cycle: onset, peak and wearing-off week."""

    session = models.OneToOneField(
        InjectionSession, on_delete=models.CASCADE, related_name="cycle_report"
    )
    onset_week = models.PositiveSmallIntegerField(null=True, blank=True)
    peak_week = models.PositiveSmallIntegerField(null=True, blank=True)
    wearing_off_week = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Cycle report for session {self.session_id}"


class Screening(models.Model):
    """Pre-injection screening on the injection visit: toxin history and the Medication Guide's
    questions (see ``safety.SCREENING_QUESTIONS`` for the wording and sources)."""

    session = models.OneToOneField(
        InjectionSession, on_delete=models.CASCADE, related_name="screening"
    )
    toxin_naive = models.BooleanField("never had botulinum toxin before")
    # Toxins given elsewhere or for other indications (cosmetic included):
    # [{"product_code", "given_on" (ISO date), "units", "indication"}].
    toxins_elsewhere = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # question key -> bool
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Screening for session {self.session_id}"

    def positives(self) -> list[str]:
        return [safety.SCREENING_QUESTIONS[k].label for k, v in self.answers.items() if v]


class SideEffectReport(models.Model):
    """A side effect the patient reports from the portal after an injection."""

    class Urgency(models.TextChoices):
        EMERGENCY = "emergency", "Emergency: told to call emergency services"
        TRIAGE = "triage", "For clinician triage"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REVIEWED = "reviewed", "Reviewed"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="side_effect_reports"
    )
    session = models.ForeignKey(
        InjectionSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="side_effect_reports",
    )
    symptoms = models.JSONField(default=list)  # safety.EventKind values
    severe = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reported_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["status", "urgency"])]

    def __str__(self) -> str:
        return f"Side-effect report {self.pk} ({self.urgency})"

    def symptom_labels(self) -> list[str]:
        return [safety.EVENT_LABELS.get(s, s) for s in self.symptoms]


class AntibodyTest(models.Model):
    class Result(models.TextChoices):
        NEGATIVE = "negative", "Negative"
        POSITIVE = "positive", "Positive (neutralising antibodies)"
        BORDERLINE = "borderline", "Borderline"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="antibody_tests"
    )
    tested_on = models.DateField()
    toxin_type = models.CharField(max_length=1, choices=[("A", "Type A"), ("B", "Type B")])
    method = models.CharField(
        max_length=20,
        choices=[
            ("mpa", "Mouse protection assay"),
            ("hdA", "Mouse hemidiaphragm assay"),
            ("elisa", "ELISA"),
            ("ftat", "Frontalis test (clinical)"),
            ("edb", "Extensor digitorum brevis test (clinical)"),
            ("other", "Other"),
        ],
    )
    result = models.CharField(max_length=10, choices=Result.choices)
    titre = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-tested_on", "-pk"]

    def __str__(self) -> str:
        return f"Type {self.toxin_type} antibodies {self.result} ({self.tested_on})"


class CycleOutcome(models.Model):
    """Outcome measures of one cycle beyond TWSTRS, rated at the peak visit (4–6 weeks)."""

    session = models.OneToOneField(
        InjectionSession, on_delete=models.CASCADE, related_name="outcome"
    )
    assessed_on = models.DateField()
    cgi_c = models.PositiveSmallIntegerField(
        "CGI-C (clinician, 1 very much improved – 7 very much worse)", null=True, blank=True
    )
    pgi_c = models.PositiveSmallIntegerField(
        "PGI-C (patient, 1 very much improved – 7 very much worse)", null=True, blank=True
    )
    pain_nrs_peak = models.PositiveSmallIntegerField(
        "Pain at peak effect (NRS 0–10)", null=True, blank=True
    )
    cdip58_score = models.DecimalField(
        "CDIP-58 total from the paper form (0–100)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Outcome of session {self.session_id}"


class GasGoal(models.Model):
    """A Goal Attainment Scaling goal of one cycle: levels −2 (much less) to +2 (much more)."""

    session = models.ForeignKey(
        InjectionSession, on_delete=models.CASCADE, related_name="gas_goals"
    )
    description = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(default=1)
    baseline_level = models.SmallIntegerField(default=-1)
    attained_level = models.SmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attained_level__gte=-2, attained_level__lte=2)
                | models.Q(attained_level__isnull=True),
                name="gas_attained_level_range",
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_level__gte=-2, baseline_level__lte=0),
                name="gas_baseline_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.description
