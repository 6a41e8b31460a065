"""Back office: the billing code table, prices and reorder levels are editable (audited);
stock movements, vials and authorisations are read-only here (their pages run the rules)."""

from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.supply.models import (
    BillingCode,
    PriorAuthorization,
    ReorderLevel,
    StockAdjustment,
    StockReceipt,
    Vial,
    VialPrice,
)


@admin.register(BillingCode)
class BillingCodeAdmin(AuditedModelAdmin):
    """The one table of claim codes a clinic updates when CMS or a payer changes a code."""

    list_display = ["key", "code", "units_per_billing_unit", "evidence", "description"]
    search_fields = ["key", "code", "description"]


@admin.register(VialPrice)
class VialPriceAdmin(AuditedModelAdmin):
    list_display = ["product", "vial_size_units", "price", "effective_from"]
    list_filter = ["product"]


@admin.register(ReorderLevel)
class ReorderLevelAdmin(AuditedModelAdmin):
    list_display = ["product", "vial_size_units", "location", "min_vials"]


class _ReadOnly(AuditedModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StockReceipt)
class StockReceiptAdmin(_ReadOnly):
    list_display = ["received_on", "lot", "vials", "location", "supplier", "ndc"]


@admin.register(StockAdjustment)
class StockAdjustmentAdmin(_ReadOnly):
    list_display = ["adjusted_at", "lot", "vials", "reason", "location", "adjusted_by"]
    list_filter = ["reason"]


@admin.register(Vial)
class VialAdmin(_ReadOnly):
    list_display = ["pk", "lot", "opened_at", "beyond_use_at", "closed_at", "discarded_units"]


@admin.register(PriorAuthorization)
class PriorAuthorizationAdmin(_ReadOnly):
    list_display = ["patient", "payer", "number", "product", "valid_from", "valid_to"]
    search_fields = ["number", "payer"]
