"""Guards for staff pages of other apps: role AND a verified second factor.

Use ``staff_member_required(role=Role.CLINICIAN)`` on views. Denials raise ``PermissionDenied``
(403); an anonymous visitor is sent to sign in; a staff member without a verified second factor
goes to the two-factor page. The questions themselves ("may read clinical data?") are the
predicates of ``accounts.roles``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja.security import SessionAuth

from collis.accounts.middleware import second_factor_response
from collis.accounts.roles import STAFF_ROLES, Role, has_role

__all__ = ["StaffAuth", "holds_any_role", "staff_denial", "staff_member_required"]
from collis.accounts.two_factor import is_verified


def _as_roles(role: Role | Iterable[Role] | None) -> frozenset[Role]:
    if role is None:
        return frozenset(STAFF_ROLES)
    if isinstance(role, Role):
        return frozenset({role})
    return frozenset(role)


def holds_any_role(user, roles: Iterable[Role]) -> bool:
    return any(has_role(user, role) for role in roles)


def staff_denial(request: HttpRequest, roles: frozenset[Role]) -> HttpResponse | None:
    """None if the request's user is verified staff in one of ``roles``, else the answer."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_active and user.is_staff and holds_any_role(user, roles)):
        raise PermissionDenied("Your role does not allow this page.")
    if not is_verified(user):
        return second_factor_response(request)
    return None


def staff_member_required(
    view: Callable | None = None, *, role: Role | Iterable[Role] | None = None
) -> Callable:
    """Decorate a view: staff holding ``role`` (any staff role if None) with a verified 2FA.

    Works bare (``@staff_member_required``) or with arguments
    (``@staff_member_required(role={Role.CLINICIAN, Role.ADMINISTRATOR})``).
    """
    roles = _as_roles(role)

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            denial = staff_denial(request, roles)
            if denial is not None:
                return denial
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


class StaffAuth(SessionAuth):
    """ninja auth: the session's user must be verified staff holding one of ``roles``.

    Kept for the API routers that use it (supply); denials are 403 problem JSON.
    """

    def __init__(self, *roles: Role) -> None:
        super().__init__()
        self.roles = _as_roles(roles or None)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if not (user.is_active and user.is_staff and holds_any_role(user, self.roles)):
            raise PermissionDenied("Your role does not allow this.")
        if not is_verified(user):
            raise PermissionDenied("Sign in with your second factor first.")
        return user
