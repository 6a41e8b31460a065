"""Who may read which FHIR resources: the site's roles, narrowed by a token's scopes."""

from __future__ import annotations

import hashlib
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
from collis.interop.smart.scopes import Grant

if TYPE_CHECKING:  # resources imports the modules that import this one
    from collis.interop.fhir.resources import ResourceType


class FhirAuthError(Exception):
    status = 401


class FhirForbiddenError(Exception):
    status = 403


@dataclass(frozen=True)
class FhirClient:
    user: AbstractBaseUser
    token: ApiToken | None  # None: a signed-in browser session (read-only) or a SMART token
    grant: Grant | None = None  # a SMART (OAuth 2.0) access token's scopes and patient

    def check_scope(self, resource: ResourceType, mode: str) -> None:
        if self.grant is not None:
            if not self.grant.allows(resource.name, mode):
                raise FhirForbiddenError(f"The token's scopes do not {mode} {resource.name}.")
            return
        if self.token is None:
            if mode != "read":
                raise FhirForbiddenError("Writes need a bearer token with a write scope.")
            return
        if not self.token.allows(resource.name, mode):
            raise FhirForbiddenError(f"The token has no {resource.name}.{mode} scope.")

    def allows_everything(self, mode: str = "read") -> bool:
        """A token for every type (``*.read``, ``user/*.rs``, ``system/*.rs``)."""
        if self.grant is not None:
            return self.grant.allows("*", mode) and not self.grant.patient_only
        return self.token is None or self.token.allows("*", mode)

    @property
    def patient_only(self) -> bool:
        return self.grant is not None and self.grant.patient_only


def _smart_client(raw: str) -> FhirClient | None:
    """A SMART access token (django-oauth-toolkit), with its scopes and launch patient."""
    from oauth2_provider.models import get_access_token_model

    from collis.interop.models import SmartContext

    checksum = hashlib.sha256(raw.encode()).hexdigest()
    access = (
        get_access_token_model()
        .objects.select_related("user")
        .filter(token_checksum=checksum)
        .first()
    )
    if access is None or access.is_expired() or access.user is None or not access.user.is_active:
        return None
    context = SmartContext.objects.filter(access_token=access).first()
    patient_id = context.patient_id if context is not None else None
    return FhirClient(access.user, None, Grant.of(access.scope, patient_id))


def authenticate(request: HttpRequest) -> FhirClient:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        raw = header.removeprefix("Bearer ").strip()
        digest = ApiToken.digest_of(raw)
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            smart = _smart_client(raw)
            if smart is not None:
                return smart
            raise FhirAuthError("The bearer token is unknown, expired or revoked.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return FhirClient(token.user, token)
    if request.user.is_authenticated:
        return FhirClient(request.user, None)
    raise FhirAuthError("Authenticate with a bearer token or a signed-in session.")


def is_staff_user(user: AbstractBaseUser) -> bool:
    return holds_staff_role(user)


def require_reader(client: FhirClient, resource: ResourceType) -> None:
    """Raise FhirForbiddenError unless the client's role may read this type at all."""
    user = client.user
    if resource.staff_only and client.patient_only:
        raise FhirForbiddenError(f"patient/ scopes do not reach {resource.name} resources.")
    if is_clinical_staff(user):
        return
    if resource.staff_only:
        raise FhirForbiddenError(f"{resource.name} resources are for clinical staff.")
    if is_patient(user):
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
    qs = _by_role(client, resource)
    if client.patient_only and resource.patient_field is not None:
        # patient/ scopes: only the patient in the launch context, whatever the user's role.
        patient_id = client.grant.patient_id
        return (
            qs.none() if patient_id is None else qs.filter(**{resource.patient_field: patient_id})
        )
    return qs


def _by_role(client: FhirClient, resource: ResourceType) -> QuerySet:
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
