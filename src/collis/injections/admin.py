from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.injections.models import Injection, InjectionSession, ToxinLot, ToxinProduct


@admin.register(ToxinProduct)
class ToxinProductAdmin(admin.ModelAdmin):
    """Label figures a clinic may correct (sources in collis.injections.dosing)."""

    list_display = [
        "brand",
        "generic_name",
        "session_limit_units",
        "limit_window_months",
        "recommended_max_units",
        "min_interval_days",
        "is_active",
    ]


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
