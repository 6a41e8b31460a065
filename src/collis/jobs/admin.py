from django.contrib import admin

from collis.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "name", "state", "percent", "attempts", "created_at", "finished_at"]
    list_filter = ["state", "name"]
    readonly_fields = [f.name for f in Job._meta.fields]
