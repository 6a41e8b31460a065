from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_role_groups(sender, **kwargs) -> None:
    from collis.accounts.roles import ensure_role_groups

    ensure_role_groups()


class AccountsConfig(AppConfig):
    name = "collis.accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from collis.accounts import receivers
        from collis.accounts.roles import is_administrator
        from collis.audit.softdelete import set_deleted_viewer

        # After every migrate, so new apps' permissions join their roles.
        # Administrators list and open soft-deleted clinical records in the admin.
        set_deleted_viewer(is_administrator)
        post_migrate.connect(_create_role_groups, dispatch_uid="collis-role-groups")
        user_logged_in.connect(receivers.on_user_logged_in, dispatch_uid="collis-audit-login")
        user_login_failed.connect(
            receivers.on_user_login_failed, dispatch_uid="collis-audit-login-failed"
        )
