"""Supply API: the authorisation status the desk sees when booking a toxin injection."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from collis.accounts.guards import StaffAuth
from collis.audit.actions import Action, record_access
from collis.lib.problems import Problem
from collis.patients.models import Patient
from collis.supply.inventory import authorisation_status

router = Router(tags=["supply"])


class AuthorisationStatusOut(Schema):
    patient: int
    date: date
    status: str = Field(
        description="covered, none_valid, no_sessions_left or too_few_units",
        examples=["none_valid"],
    )
    warns: bool
    message: str
    authorisation_number: str | None = None
    sessions_left: int | None = None
    units_per_session: int | None = None


@router.get(
    "/authorisation-status",
    response={200: AuthorisationStatusOut, 403: Problem, 404: Problem, 422: Problem},
    auth=StaffAuth(),  # any staff role: the desk sees authorisation status
    summary="Is a toxin injection on this date covered by a prior authorisation?",
)
def authorisation_status_view(
    request: HttpRequest,
    patient: int,
    on: date,
    product: str | None = None,
    planned_units: int | None = None,
):
    """Advice for the desk (never a refusal): no valid authorisation, too few sessions left, or
    fewer units approved than planned. Without ``product``/``planned_units`` the patient's last
    session's are assumed."""
    found = get_object_or_404(Patient, pk=patient)
    result = authorisation_status(found.pk, on, product_code=product, planned_units=planned_units)
    record_access(request, Action.READ, found, detail={"view": "authorisation-status"})
    auth = result.authorisation
    return {
        "patient": found.pk,
        "date": on,
        "status": str(result.status),
        "warns": result.warns,
        "message": result.message,
        "authorisation_number": auth.number if auth else None,
        "sessions_left": auth.sessions_left if auth else None,
        "units_per_session": auth.units_per_session if auth else None,
    }
