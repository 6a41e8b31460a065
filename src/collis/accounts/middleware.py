"""Stop a half-signed-in session (password done, second factor not) from reaching anything.

Runs after ``OTPMiddleware``. Staff sessions, and patients who enrolled a second factor, are
sent to the verification page (or to enrolment, for staff who have none yet) from every URL
except sign-in, sign-out, the two-factor pages and static files. The API answers 403 problem
JSON instead of a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from collis.accounts.two_factor import is_verified, second_factor_required
from collis.lib.problems import problem_response

_OPEN_PREFIXES = (
    "/accounts/two-factor/verify/",
    "/accounts/two-factor/setup/",
    "/accounts/login/",
    "/accounts/logout/",
    "/static/",
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.path.startswith(_OPEN_PREFIXES)
            and second_factor_required(request)
            and not is_verified(request.user)
        ):
            return second_factor_response(request)
        return self.get_response(request)


def second_factor_response(request: HttpRequest) -> HttpResponse:
    """Where an unverified session goes: 403 problem JSON for the API, else the 2FA page."""
    if request.path.startswith("/api/"):
        return problem_response(
            403, "Second factor required", detail="Sign in with your second factor first."
        )
    target = reverse("accounts:two-factor-verify")
    next_url = request.get_full_path() if request.method == "GET" else ""
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
