from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.diary.models import DiaryEntry, Exercise


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(DiaryEntry)
class DiaryEntryAdmin(AuditedModelAdmin):
    """Read-only: diary entries belong to the patient."""

    list_display = ["entry_date", "patient", "severity", "pain"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
