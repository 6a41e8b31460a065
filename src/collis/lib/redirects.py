"""Where to send the browser after a form: a ``next`` parameter, only when it stays on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["safe_next"]


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Return the request's ``next`` (POST, then GET) if on this host, else ``fallback``.

    An off-site or scheme-changing target (``//evil.example``, ``http:`` from an HTTPS page) is
    refused, so a crafted link cannot turn a form into an open redirect.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
