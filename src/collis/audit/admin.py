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


class DeletedFilter(admin.SimpleListFilter):
    """Soft-deleted clinical records (``collis.audit.softdelete``): administrators only."""

    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):  # noqa: ANN001, ANN201
        return [("no", "Not deleted"), ("yes", "Deleted (kept for the audit trail)")]

    def queryset(self, request, queryset):  # noqa: ANN001, ANN201
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


def _soft_deletable(model) -> bool:  # noqa: ANN001
    from collis.audit.softdelete import SoftDeletable

    return issubclass(model, SoftDeletable)


def _sees_deleted(request) -> bool:  # noqa: ANN001
    from collis.audit.softdelete import sees_deleted

    return sees_deleted(request.user)


class AuditedModelAdmin(admin.ModelAdmin):
    """ModelAdmin for health data: every list, opened record, save and delete is audited.

    No bulk delete: a health record is deleted one at a time, with a reason, which goes to the
    audit trail with a copy of the row (``collis.audit.deletion``); so do the rows a delete
    cascades to. Clinical records (``SoftDeletable`` models) are soft-deleted instead, through
    ``softdelete.delete_record``; administrators still list and open them here (filter
    "deleted"), with who deleted them, when and why.
    """

    delete_confirmation_template = "admin/audit/delete_with_reason.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_queryset(self, request):
        if _soft_deletable(self.model) and _sees_deleted(request):
            qs = self.model.all_objects.get_queryset()
            ordering = self.get_ordering(request)
            return qs.order_by(*ordering) if ordering else qs
        return super().get_queryset(request)

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if _soft_deletable(self.model) and _sees_deleted(request):
            shown.append("deleted_at")
        return shown

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if _soft_deletable(self.model) and _sees_deleted(request):
            filters.append(DeletedFilter)
        return filters

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and _soft_deletable(self.model) and obj.deleted_at is not None:
            fields += ["deleted_at", "deleted_by", "deletion_reason"]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and getattr(obj, "deleted_at", None) is not None:
            return False  # a deleted record is kept as it was
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and getattr(obj, "deleted_at", None) is not None:
            return False
        return super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        from collis.audit.actions import Action, record_access

        response = super().changelist_view(request, extra_context)
        if getattr(response, "status_code", 500) == 200:
            record_access(
                request,
                Action.READ,
                object_type=self.model._meta.label,
                detail={"via": "admin", "view": "list", "query": request.GET.urlencode()[:200]},
            )
        return response

    def delete_view(self, request, object_id, extra_context=None):
        from django.contrib import messages
        from django.http import QueryDict

        if request.method == "POST" and not request.POST.get("reason", "").strip():
            messages.error(request, "Give the reason for deleting this record.")
            # Show the confirmation page again, deleting nothing (the admin deletes on any POST).
            request.POST = QueryDict()
            request.method = "GET"
        return super().delete_view(request, object_id, extra_context)

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
        from collis.audit.deletion import deleting
        from collis.audit.softdelete import delete_record

        reason = request.POST.get("reason", "").strip()[:500]
        if _soft_deletable(self.model):
            delete_record(request, actor=request.user, record=obj, reason=reason, via="admin")
            return
        with deleting(actor=request.user, reason=reason, request=request, via="admin"):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        from collis.audit.deletion import deleting
        from collis.audit.softdelete import delete_record

        reason = request.POST.get("reason", "").strip()[:500]
        if _soft_deletable(self.model):
            for obj in queryset:
                delete_record(request, actor=request.user, record=obj, reason=reason, via="admin")
            return
        with deleting(actor=request.user, reason=reason, request=request, via="admin"):
            super().delete_queryset(request, queryset)
