from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.injections.actions import LABEL_FIELDS, update_product_label
from collis.injections.models import Injection, InjectionSession, ToxinLot, ToxinProduct


@admin.register(ToxinProduct)
class ToxinProductAdmin(admin.ModelAdmin):
    """Label figures a clinic may correct (sources in collis.injections.dosing).

    The form validates with ``ToxinProduct.clean`` (``dosing.validate_label``) and saves through
    ``update_product_label``, which validates again and audits old and new values.
    """

    list_display = [
        "brand",
        "generic_name",
        "session_limit_units",
        "limit_window_days",
        "recommended_max_units",
        "min_interval_days",
        "is_active",
    ]
    readonly_fields = ["code", "generic_name", "brand"]

    def has_add_permission(self, request) -> bool:
        return False  # products come from dosing.LABELS (catalogue.ensure_label_products)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        changes = {f: form.cleaned_data[f] for f in LABEL_FIELDS if f in form.cleaned_data}
        update_product_label(request, actor=request.user, product=obj, **changes)


@admin.register(ToxinLot)
class ToxinLotAdmin(admin.ModelAdmin):
    list_display = ["product", "lot_number", "vial_size_units", "expires_on"]
    list_filter = ["product"]
    search_fields = ["lot_number"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class InjectionInline(_ReadOnlyInline):
    model = Injection


@admin.register(InjectionSession)
class InjectionSessionAdmin(AuditedModelAdmin):
    """Read-only here: sessions are recorded in the clinic workspace, where label checks run."""

    list_display = ["injected_on", "patient", "product", "total_units"]
    list_filter = ["product"]
    date_hierarchy = "injected_on"
    inlines = [InjectionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
