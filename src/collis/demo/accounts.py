from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role, ensure_role_groups
from collis.demo.context import DemoContext

ADMIN_LOGIN = ("admin", "collis-admin-demo")
FRONT_DESK_LOGIN = ("frontdesk", "collis-desk-demo")


def seed(ctx: DemoContext) -> None:
    ensure_role_groups()
    ensure_user_with_role(
        ADMIN_LOGIN[0],
        Role.ADMINISTRATOR,
        password=ADMIN_LOGIN[1],
        first_name="Alex",
        last_name="Admin",
        email="admin@collis.invalid",
        superuser=True,
    )
    ensure_user_with_role(
        FRONT_DESK_LOGIN[0],
        Role.FRONT_DESK,
        password=FRONT_DESK_LOGIN[1],
        first_name="Dana",
        last_name="Desk",
        email="frontdesk@collis.invalid",
    )
    ctx.logins.append(("clinic administrator", *ADMIN_LOGIN))
    ctx.logins.append(("front desk", *FRONT_DESK_LOGIN))
