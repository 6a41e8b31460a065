from django.contrib import admin

from collis.audit.admin import AuditedModelAdmin
from collis.patients.models import Patient, Visit


@admin.register(Patient)
class PatientAdmin(AuditedModelAdmin):
    list_display = ["family_name", "given_name", "mrn", "birth_date", "phone", "email"]
    list_filter = ["sex"]
    search_fields = ["family_name", "given_name", "=mrn", "email", "phone"]
    # Linking a record to a portal account gives that account the whole clinical record: it is
    # an administrator's action with the identity re-verified (accounts: "Link portal account"),
    # never a field anyone can set here.
    readonly_fields = ["user", "email_changed_at"]


@admin.register(Visit)
class VisitAdmin(AuditedModelAdmin):
    list_display = ["occurred_at", "patient", "kind", "clinician"]
    list_filter = ["kind"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["patient"]
