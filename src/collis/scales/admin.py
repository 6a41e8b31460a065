from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.scales.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(AuditedModelAdmin):
    """Read-only here: assessments are scored in the clinic workspace by the scoring core."""

    list_display = ["assessed_on", "patient", "scale", "status", "total", "scale_version"]
    list_filter = ["scale", "status", "timepoint"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
