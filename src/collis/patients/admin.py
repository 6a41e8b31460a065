from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.patients.models import Patient


@admin.register(Patient)
class PatientAdmin(AuditedModelAdmin):
    list_display = ["family_name", "given_name", "mrn", "birth_date", "phone", "email"]
    list_filter = ["sex"]
    search_fields = ["family_name", "given_name", "=mrn", "email", "phone"]
    autocomplete_fields = ["user"]
