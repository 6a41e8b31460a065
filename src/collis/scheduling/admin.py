"""Back office: clinic configuration is edited here; appointments are read-only here because
every change to one goes through the front-desk pages (actions.py: audit, emails, waitlist)."""

from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.scheduling.models import (
    Appointment,
    AppointmentType,
    BookingPolicy,
    CalendarFeed,
    ClinicClosure,
    DateOverride,
    InjectionRecall,
    ReminderDelivery,
    TimeOff,
    WaitlistEntry,
    WeeklyBreak,
    WeeklyHours,
)


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "auto_confirm", "min_notice_hours", "horizon_days"]

    def has_add_permission(self, request) -> bool:
        return not BookingPolicy.objects.exists()


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "duration_minutes",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "is_reinjection",
        "bookable_online",
        "is_active",
    ]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["clinicians"]


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin):
    list_display = ["clinician", "weekday", "start", "end", "location"]
    list_filter = ["clinician", "location", "weekday"]


@admin.register(WeeklyBreak)
class WeeklyBreakAdmin(admin.ModelAdmin):
    list_display = ["clinician", "weekday", "start", "end"]
    list_filter = ["clinician"]


@admin.register(DateOverride)
class DateOverrideAdmin(admin.ModelAdmin):
    list_display = ["clinician", "date", "start", "end", "location", "note"]
    list_filter = ["clinician"]
    date_hierarchy = "date"


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["clinician", "starts_at", "ends_at", "reason"]
    list_filter = ["clinician"]


@admin.register(ClinicClosure)
class ClinicClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]


class ReadOnlyHealthAdmin(AuditedModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyHealthAdmin):
    list_display = ["start", "contact_name", "clinician", "appointment_type", "status", "source"]
    list_filter = ["status", "clinician", "appointment_type", "source"]
    search_fields = ["contact_name", "contact_email", "=patient__mrn"]
    date_hierarchy = "start"


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    list_display = ["appointment", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in ReminderDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(InjectionRecall)
class InjectionRecallAdmin(ReadOnlyHealthAdmin):
    list_display = ["patient", "last_injected_on", "product_name", "due_on", "recall_sent_for"]
    date_hierarchy = "due_on"


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyHealthAdmin):
    list_display = ["patient", "appointment_type", "clinician", "earliest", "latest", "status"]
    list_filter = ["status", "appointment_type"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["clinician", "is_active", "rotated_at"]
    fields = ["clinician", "is_active"]
