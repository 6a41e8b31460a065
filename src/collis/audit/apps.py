from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "collis.audit"
    verbose_name = "Audit trail"
