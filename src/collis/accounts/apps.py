from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_role_groups(sender, **kwargs) -> None:
    from collis.accounts.roles import ensure_role_groups

    ensure_role_groups()


class AccountsConfig(AppConfig):
    name = "collis.accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # After every migrate, so new apps' permissions join their roles.
        post_migrate.connect(_create_role_groups, dispatch_uid="collis-role-groups")
