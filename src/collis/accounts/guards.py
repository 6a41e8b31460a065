"""Guards for views and API endpoints of other apps: role AND a verified second factor.

Use ``staff_member_required(role=Role.CLINICIAN)`` on function views,
``StaffMemberRequiredMixin`` (``required_roles = {...}``) on class views, and
``StaffAuth(Role.CLINICIAN)`` / ``PatientAuth()`` as ``auth=`` of ninja routers or operations.
Denials raise ``PermissionDenied`` (403); an anonymous visitor is sent to sign in (401 in the
API); a staff member without a verified second factor goes to the two-factor page.
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


class StaffMemberRequiredMixin:
    """Class-view twin of ``staff_member_required``; set ``required_roles`` (default: staff)."""

    required_roles: Iterable[Role] | None = None

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        denial = staff_denial(request, _as_roles(self.required_roles))
        if denial is not None:
            return denial
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def patient_required(view: Callable) -> Callable:
    """Decorate a portal view: a signed-in patient (verified too, if they enrolled 2FA)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, Role.PATIENT):
            raise PermissionDenied("This page is for patients.")
        return view(request, *args, **kwargs)

    return wrapper


class StaffAuth(SessionAuth):
    """ninja auth: the session's user must be verified staff holding one of ``roles``."""

    def __init__(self, *roles: Role) -> None:
        super().__init__()
        self.roles = _as_roles(roles or None)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if not (user.is_staff and holds_any_role(user, self.roles)):
            raise PermissionDenied("Your role does not allow this.")
        if not is_verified(user):
            raise PermissionDenied("Sign in with your second factor first.")
        return user


class PatientAuth(SessionAuth):
    """ninja auth: the session's user must be a patient (their own data only, see access.py)."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if not user.is_active or not has_role(user, Role.PATIENT):
            raise PermissionDenied("This is for patients.")
        return user
