from django.contrib import admin

from collis.providers.models import Clinic, Clinician, Language, Location, OpeningHours, Specialty


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone", "is_active"]
    list_filter = ["is_active", "city"]
    search_fields = ["name", "street", "city", "postal_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ["display_name", "credentials", "title", "accepting_new_patients", "is_active"]
    list_filter = ["is_active", "accepting_new_patients", "specialties", "locations", "languages"]
    search_fields = ["display_name", "credentials", "title", "bio", "conditions_treated"]
    prepopulated_fields = {"slug": ["display_name"]}
    filter_horizontal = ["specialties", "locations", "languages"]
    autocomplete_fields = ["user"]
