"""Who may read which FHIR resources: the site's roles, narrowed by a token's scopes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from collis.accounts.roles import (
    holds_staff_role,
    is_clinical_staff,
    is_front_desk,
    is_patient,
)
from collis.interop.models import ApiToken

if TYPE_CHECKING:  # resources imports the modules that import this one
    from collis.interop.fhir.resources import ResourceType


class FhirAuthError(Exception):
    status = 401


class FhirForbiddenError(Exception):
    status = 403


@dataclass(frozen=True)
class FhirClient:
    user: AbstractBaseUser
    token: ApiToken | None  # None: a signed-in browser session (read-only)

    def check_scope(self, resource: ResourceType, mode: str) -> None:
        if self.token is None:
            if mode != "read":
                raise FhirForbiddenError("Writes need a bearer token with a write scope.")
            return
        if not self.token.allows(resource.name, mode):
            raise FhirForbiddenError(f"The token has no {resource.name}.{mode} scope.")


def authenticate(request: HttpRequest) -> FhirClient:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        digest = ApiToken.digest_of(header.removeprefix("Bearer ").strip())
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            raise FhirAuthError("The bearer token is unknown or revoked.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return FhirClient(token.user, token)
    if request.user.is_authenticated:
        return FhirClient(request.user, None)
    raise FhirAuthError("Authenticate with a bearer token or a signed-in session.")


def require_reader(client: FhirClient, resource: ResourceType) -> None:
    """Raise FhirForbiddenError unless the client's role may read this type at all."""
    user = client.user
    if is_clinical_staff(user) or is_patient(user):
        return
    if is_front_desk(user):
        if resource.clinical:
            raise FhirForbiddenError(f"The front desk does not read {resource.name} resources.")
        return
    raise FhirForbiddenError("This account has no role that may use the FHIR API.")


def is_staff(client: FhirClient) -> bool:
    return holds_staff_role(client.user)


def own_patient_id(client: FhirClient) -> int | None:
    """The patient record linked to the client's account, if any."""
    patient = getattr(client.user, "patient", None)
    return patient.pk if patient is not None else None


def visible(client: FhirClient, resource: ResourceType) -> QuerySet:
    """The rows of ``resource`` this client may see (404 for everything else)."""
    require_reader(client, resource)
    user = client.user
    qs = resource.queryset()
    if is_clinical_staff(user) or is_front_desk(user):
        return qs
    if resource.patient_field is None:
        return qs  # directory data: practitioners, locations, the organisation
    patient = getattr(user, "patient", None)
    if patient is None:
        return qs.none()
    return qs.filter(**{resource.patient_field: patient.pk})
