from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.recordings.models import PostureRecording


@admin.register(PostureRecording)
class PostureRecordingAdmin(AuditedModelAdmin):
    """Read-only: uploads, analyses and deletions go through the clinic pages' actions."""

    list_display = ["created_at", "patient", "visit", "kind", "status", "original_deleted_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["patient", "visit", "job"]
    # The file fields are left out: their admin widget would link to a MEDIA_URL that
    # does not exist (media is served only by the access-checked clinic views).
    exclude = ["original", "annotated"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
