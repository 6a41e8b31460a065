"""Assemble the JSON API under /api/ and translate errors to problem JSON in one place."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from collis.chart.api import router as clinical_router
from collis.lib.errors import DomainError
from collis.lib.problems import DATABASE_UNAVAILABLE, PROBLEM_CONTENT_TYPE, problem_response
from collis.providers.api import router as providers_router
from collis.scheduling.api import router as scheduling_router
from collis.scheduling.api import slot_taken_members
from collis.scheduling.errors import SlotTakenError
from collis.supply.api import router as supply_router

logger = logging.getLogger("django.request")


class ProblemAPI(NinjaAPI):
    """NinjaAPI whose schema says what it sends: errors as ``application/problem+json``, and a
    400 problem on every operation with a body (a body that is not JSON)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        schema = super().get_openapi_schema(*args, **kwargs)
        problem_ref = {"$ref": "#/components/schemas/Problem"}
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation["responses"]
                if operation.get("requestBody") and not {"400", 400} & set(responses):
                    responses[400] = {
                        "description": "The body is not JSON",
                        "content": {"application/json": {"schema": problem_ref}},
                    }
                for status, response in responses.items():
                    content = response.get("content", {})
                    if str(status)[0] in "45" and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


api = ProblemAPI(
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


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own errors (e.g. 400 for a body that is not JSON) as problems too."""
    try:
        title = HTTPStatus(exc.status_code).phrase
    except ValueError:
        title = "Error"
    return problem(request, exc.status_code, title, str(exc))


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


def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Not answered here: Django's handler500 (``collis.views.server_error``) turns a database
    that cannot be reached into 503 + Retry-After for pages, this API and FHIR alike."""
    raise exc


for _error in DATABASE_UNAVAILABLE:
    api.add_exception_handler(_error, _database_unavailable)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Problem JSON even for a bug: the details go to the log, never to the client."""
    logger.error("API request failed: %s", request.path, exc_info=exc)
    return problem(request, 500, "Internal server error")


api.add_router("/providers", providers_router)
api.add_router("/scheduling", scheduling_router)
api.add_router("/supply", supply_router)
api.add_router("/clinical", clinical_router)
