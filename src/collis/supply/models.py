"""Vial stock, opened vials and their draws, prior authorisations, billing codes and prices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from collis.injections.models import InjectionSession, ToxinLot, ToxinProduct
from collis.providers.models import Location


class SupplyPolicy(models.Model):
    """The clinic's supply settings (one row): multi-patient vial use, warning horizons."""

    multi_patient_vials = models.BooleanField(
        default=False,
        help_text="Allow one reconstituted single-dose vial to serve several patients.",
    )
    multi_patient_policy = models.TextField(
        blank=True, help_text="The documented clinic policy; required to turn the option on."
    )
    expiring_soon_days = models.PositiveSmallIntegerField(default=60)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "supply policy"
        constraints = [
            models.CheckConstraint(
                condition=Q(multi_patient_vials=False) | ~Q(multi_patient_policy=""),
                name="multi_patient_needs_policy",
            )
        ]

    def __str__(self) -> str:
        return "Supply policy"

    @classmethod
    def current(cls) -> SupplyPolicy:
        policy = cls.objects.order_by("pk").first()
        return policy if policy is not None else cls()


class StockReceipt(models.Model):
    """Vials of one lot received into one location."""

    lot = models.ForeignKey(ToxinLot, on_delete=models.PROTECT, related_name="receipts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    vials = models.PositiveIntegerField()
    ndc = models.CharField("NDC", max_length=13, help_text="As printed on the carton.")
    supplier = models.CharField(max_length=120)
    received_on = models.DateField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(vials__gt=0), name="receipt_vials_gt_0")]

    def __str__(self) -> str:
        return f"{self.vials} × {self.lot} at {self.location}"


class StockAdjustment(models.Model):
    class Reason(models.TextChoices):
        BREAKAGE = "breakage", "Breakage"
        EXPIRED = "expired", "Expired"
        RECALL = "recall", "Recall"
        COUNT = "count", "Stock count"
        TRANSFER = "transfer", "Transfer between locations"
        OTHER = "other", "Other"

    lot = models.ForeignKey(ToxinLot, on_delete=models.PROTECT, related_name="adjustments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    vials = models.IntegerField(help_text="Negative: vials removed from stock.")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    adjusted_at = models.DateTimeField()

    class Meta:
        ordering = ["-adjusted_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(vials=0), name="adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.vials:+d} × {self.lot} ({self.get_reason_display()})"


class Vial(models.Model):
    """One opened (reconstituted) vial, from opening to close."""

    lot = models.ForeignKey(ToxinLot, on_delete=models.PROTECT, related_name="opened_vials")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    ndc = models.CharField("NDC", max_length=13)
    size_units = models.PositiveIntegerField()
    diluent_ml = models.DecimalField(
        "diluent (mL)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    opened_at = models.DateTimeField()
    beyond_use_at = models.DateTimeField()
    reconstituted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    discarded_units = models.PositiveIntegerField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, discarded_units__isnull=True)
                | Q(closed_at__isnull=False, discarded_units__isnull=False),
                name="closed_vial_has_discard",
            )
        ]

    def __str__(self) -> str:
        return f"Vial #{self.pk}: {self.lot.product.brand} lot {self.lot.lot_number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class VialDraw(models.Model):
    """Units drawn from one vial for one injection session."""

    vial = models.ForeignKey(Vial, on_delete=models.PROTECT, related_name="draws")
    session = models.ForeignKey(
        InjectionSession, on_delete=models.CASCADE, related_name="vial_draws"
    )
    units = models.PositiveIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["vial", "session"], name="one_draw_per_vial_session"),
            models.CheckConstraint(condition=Q(units__gt=0), name="draw_units_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.units} U from vial #{self.vial_id} for session {self.session_id}"


class PriorAuthorization(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="prior_authorizations"
    )
    payer = models.CharField(max_length=120)
    number = models.CharField("authorisation number", max_length=60)
    product = models.ForeignKey(ToxinProduct, on_delete=models.PROTECT, related_name="+")
    units_per_session = models.PositiveIntegerField(help_text="In the product's own units.")
    sessions_approved = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField()
    diagnosis_code = models.CharField(max_length=10, default="G24.3")
    procedure_code = models.CharField(max_length=10, default="64616")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_to", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="auth_dates_ordered"
            ),
            models.UniqueConstraint(fields=["payer", "number"], name="unique_auth_per_payer"),
        ]

    def __str__(self) -> str:
        return f"{self.payer} {self.number} ({self.valid_from} – {self.valid_to})"


class BillingCode(models.Model):
    """The clinic's editable copy of the billing reference table (``billing.DEFAULT_CODES``)."""

    key = models.CharField(max_length=60, unique=True)
    code = models.CharField(max_length=12)
    description = models.CharField(max_length=300)
    units_per_billing_unit = models.PositiveIntegerField(null=True, blank=True)
    evidence = models.CharField(max_length=4, help_text="[V], [S] or [U]")
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.code} ({self.key})"


class VialPrice(models.Model):
    """What the clinic pays per vial, from a date."""

    product = models.ForeignKey(ToxinProduct, on_delete=models.PROTECT, related_name="+")
    vial_size_units = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=9, decimal_places=2)
    effective_from = models.DateField()

    class Meta:
        ordering = ["product", "vial_size_units", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.product.brand} {self.vial_size_units} U: {self.price}"


class ReorderLevel(models.Model):
    product = models.ForeignKey(ToxinProduct, on_delete=models.CASCADE, related_name="+")
    vial_size_units = models.PositiveIntegerField()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    min_vials = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "vial_size_units", "location"], name="one_reorder_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.brand} {self.vial_size_units} U at {self.location}: {self.min_vials}"
