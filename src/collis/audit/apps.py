from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "collis.audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from collis.audit.deletion import audit_delete

        pre_delete.connect(audit_delete, dispatch_uid="collis-audit-health-deletes")
