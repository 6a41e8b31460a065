"""Writes to the JSON API: a JSON body always; a same-site Origin when a session signs them.

ninja's views skip Django's CSRF check (API clients send no CSRF token). A browser, though,
sends the session cookie with a cross-site ``<form enctype="text/plain">`` post, and only
SameSite=Lax stops that today. So under ``/api/``:

- a POST, PUT, PATCH or DELETE must carry ``Content-Type: application/json`` (415 otherwise):
  a cross-site form cannot send that without a CORS preflight, which we never grant;
- if the request is signed in by a session cookie, its ``Origin`` must be this site (or one of
  ``CSRF_TRUSTED_ORIGINS``): 403 otherwise, also when the browser sent no Origin at all.

Answers are problem JSON, like every API error.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_TYPES = frozenset({"application/json", "application/merge-patch+json"})


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def _same_site(request: HttpRequest, origin: str) -> bool:
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


class ApiWriteGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in UNSAFE and request.path.startswith("/api/"):
            denial = self._denial(request)
            if denial is not None:
                return denial
        return self.get_response(request)

    def _denial(self, request: HttpRequest) -> HttpResponse | None:
        content_type = request.content_type.split(";")[0].strip().lower()
        if content_type not in JSON_TYPES:
            return _problem(415, "Unsupported media type", "Send the body as application/json.")
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            origin = request.headers.get("Origin", "")
            if not origin or not _same_site(request, origin):
                return _problem(
                    403,
                    "Cross-site request refused",
                    "A signed-in write must come from this site (Origin header).",
                )
        return None
