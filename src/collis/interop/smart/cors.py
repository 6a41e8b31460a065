"""CORS for the FHIR server and the OAuth endpoints: only origins a registered app declares
(``Application.allowed_origins``, space-separated), so browser SMART apps can call us."""

from __future__ import annotations

from typing import Any


def registered_origin(sender: Any, request: Any, **kwargs: Any) -> bool:
    origin = request.headers.get("Origin", "")
    if not origin:
        return False
    from oauth2_provider.models import get_application_model

    candidates = get_application_model().objects.filter(allowed_origins__contains=origin)
    return any(origin in app.allowed_origins.split() for app in candidates)
