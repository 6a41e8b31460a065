from django.contrib import admin

from collis.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only view of the trail, for administrators."""

    list_display = [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "patient_id",
        "ip_address",
    ]
    list_filter = ["action", "object_type", "at"]
    search_fields = ["actor_label", "object_id", "=patient_id", "path"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """ModelAdmin for health data: every opened record and every save is audited."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from collis.audit.actions import Action, record_access

        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_or_change_permission(request, obj):
            record_access(request, Action.READ, obj, detail={"via": "admin"})
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        from collis.audit.actions import Action, record_access

        super().save_model(request, obj, form, change)
        record_access(
            request,
            Action.UPDATE if change else Action.CREATE,
            obj,
            detail={"via": "admin", "fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj) -> None:
        from collis.audit.actions import Action, record_access

        record_access(request, Action.DELETE, obj, detail={"via": "admin"})
        super().delete_model(request, obj)
