from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.patients.models import Patient, Visit


@admin.register(Patient)
class PatientAdmin(AuditedModelAdmin):
    list_display = ["family_name", "given_name", "mrn", "birth_date", "phone", "email"]
    list_filter = ["sex"]
    search_fields = ["family_name", "given_name", "=mrn", "email", "phone"]
    autocomplete_fields = ["user"]


@admin.register(Visit)
class VisitAdmin(AuditedModelAdmin):
    list_display = ["occurred_at", "patient", "kind", "clinician"]
    list_filter = ["kind"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["patient"]
