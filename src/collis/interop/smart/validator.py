"""django-oauth-toolkit hooks: SMART scopes, launch context in token responses, fhirUser."""

from __future__ import annotations

import hashlib
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from collis.interop.models import SmartContext
from collis.interop.smart import scopes as smart_scopes


class _Descriptions(dict):
    def __missing__(self, scope: str) -> str:
        return smart_scopes.describe(scope)


class SmartScopes(BaseScopes):
    """SMART scopes are open-ended (``patient/<Type>.<perms>``): any well-formed one exists."""

    COMMON = (
        "openid",
        "fhirUser",
        "offline_access",
        "launch",
        "launch/patient",
        "patient/*.rs",
        "user/*.rs",
    )

    def get_all_scopes(self) -> dict[str, str]:
        return _Descriptions({s: smart_scopes.describe(s) for s in self.COMMON})

    def get_available_scopes(self, application=None, request=None, *args: Any, **kwargs: Any):
        return list(self.COMMON)

    def get_default_scopes(self, application=None, request=None, *args: Any, **kwargs: Any):
        return ["launch/patient", "patient/*.rs"]


def fhir_user_of(user: Any) -> str | None:
    """The FHIR resource for the signed-in person: their Patient or Practitioner record."""
    patient = getattr(user, "patient", None)
    if patient is not None:
        return f"Patient/{patient.pk}"
    clinician = getattr(user, "clinician", None)
    if clinician is not None:
        return f"Practitioner/{clinician.pk}"
    return None


class SmartValidator(OAuth2Validator):
    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        return all(smart_scopes.is_known(s) for s in scopes)

    def _context_patient(self, request) -> int | None:
        """The patient of this token request: from the code's context, or the refreshed
        token's."""
        if request.grant_type == "authorization_code" and getattr(request, "code", None):
            found = SmartContext.objects.filter(code=request.code).first()
            return found.patient_id if found else None
        if request.grant_type == "refresh_token":
            previous = getattr(request, "refresh_token_instance", None)
            access = getattr(previous, "access_token", None) if previous else None
            if access is not None:
                found = SmartContext.objects.filter(access_token=access).first()
                return found.patient_id if found else None
        return None

    def save_bearer_token(self, token, request, *args, **kwargs):
        patient_id = self._context_patient(request)
        result = super().save_bearer_token(token, request, *args, **kwargs)
        from oauth2_provider.models import get_access_token_model

        checksum = hashlib.sha256(token["access_token"].encode()).hexdigest()
        access = get_access_token_model().objects.filter(token_checksum=checksum).first()
        if access is not None:
            SmartContext.objects.update_or_create(
                access_token=access, defaults={"patient_id": patient_id}
            )
        if patient_id is not None:
            token["patient"] = str(patient_id)  # SMART launch context in the token response
            token["need_patient_banner"] = True
        if "fhirUser" in (request.scopes or []) and request.user is not None:
            fhir_user = fhir_user_of(request.user)
            if fhir_user:
                token["fhirUser"] = fhir_user
        return result

    def get_additional_claims(self, request) -> dict[str, Any]:
        claims: dict[str, Any] = {}
        fhir_user = fhir_user_of(request.user) if request.user is not None else None
        if fhir_user and "fhirUser" in (request.scopes or []):
            claims["fhirUser"] = fhir_user  # made absolute by the client against iss
        return claims
