"""Assemble the JSON API under /api/ and translate errors to problem JSON in one place."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from collis.lib.errors import DomainError
from collis.lib.problems import problem_response
from collis.providers.api import router as providers_router
from collis.scheduling.api import router as scheduling_router
from collis.scheduling.api import slot_taken_members
from collis.scheduling.errors import SlotTakenError
from collis.supply.api import router as supply_router

logger = logging.getLogger("django.request")

api = NinjaAPI(
    title="Collis API",
    version="1.0",
    description=(
        "JSON API of a Collis cervical-dystonia clinic. Times are ISO 8601 with an offset; "
        "errors are RFC 9457 problem objects."
    ),
    urls_namespace="api",
)


def problem(request: HttpRequest, status: int, title: str, detail: object = None) -> HttpResponse:
    return problem_response(status, title, detail=detail)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem(request, 422, "Invalid input", exc.errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, "Not found")


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every app's rule errors: their own status (409 conflict, 422 otherwise) and code."""
    return problem_response(exc.http_status, exc.user_message, code=exc.code)


@api.exception_handler(SlotTakenError)
def _slot_taken(request: HttpRequest, exc: SlotTakenError) -> HttpResponse:
    """A slot someone else just got: 409 with nearby free ``alternatives``."""
    members = slot_taken_members(exc)
    return problem_response(exc.http_status, exc.user_message, code=exc.code, **members)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, "Forbidden", str(exc) or None)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Problem JSON even for a bug: the details go to the log, never to the client."""
    logger.error("API request failed: %s", request.path, exc_info=exc)
    return problem(request, 500, "Internal server error")


api.add_router("/providers", providers_router)
api.add_router("/scheduling", scheduling_router)
api.add_router("/supply", supply_router)
