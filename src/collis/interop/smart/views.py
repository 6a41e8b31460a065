"""SMART endpoints: discovery, the consent screen (authorize), EHR launch, and Backend Services
token requests signed with a private key (``private_key_jwt``, RFC 7523).

Everything else (token exchange with PKCE, refresh, revocation, introspection, OpenID Connect)
is django-oauth-toolkit's, mounted under ``/o/``.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from jwcrypto import jwk, jwt
from oauth2_provider.models import get_access_token_model, get_application_model, set_token_value
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import AuthorizationView, TokenView

from collis.accounts.roles import Role, has_role
from collis.interop.fhir.access import is_clinical_staff, is_staff_user
from collis.interop.models import SmartContext, SmartLaunch, UsedAssertion
from collis.interop.smart import scopes as smart_scopes
from collis.patients.models import Patient

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CAPABILITIES = [
    "launch-ehr",
    "launch-standalone",
    "client-public",
    "client-confidential-symmetric",
    "client-confidential-asymmetric",
    "context-ehr-patient",
    "context-standalone-patient",
    "context-banner",
    "permission-offline",
    "permission-patient",
    "permission-user",
    "permission-v1",
    "permission-v2",
    "sso-openid-connect",
    "authorize-post",
]


def absolute(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse(name))


def smart_configuration(request: HttpRequest) -> JsonResponse:
    """``/fhir/.well-known/smart-configuration`` (SMART App Launch 2.0 discovery)."""
    return JsonResponse(
        {
            "issuer": absolute(request, "fhir:metadata").removesuffix("/metadata"),
            "jwks_uri": absolute(request, "oauth2_provider:jwks-info"),
            "authorization_endpoint": absolute(request, "smart-authorize"),
            "token_endpoint": absolute(request, "smart-token"),
            "revocation_endpoint": absolute(request, "oauth2_provider:revoke-token"),
            "introspection_endpoint": absolute(request, "oauth2_provider:introspect"),
            "userinfo_endpoint": absolute(request, "oauth2_provider:user-info"),
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
            ],
            "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384", "RS256"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "response_types_supported": ["code"],
            "scopes_supported": [
                "openid",
                "fhirUser",
                "launch",
                "launch/patient",
                "offline_access",
                "patient/*.rs",
                "user/*.rs",
                "system/*.rs",
                "patient/*.read",
                "user/*.read",
            ],
            "code_challenge_methods_supported": ["S256"],
            "capabilities": CAPABILITIES,
        },
        headers={"Cache-Control": "max-age=3600"},
    )


class SmartAuthorizationView(AuthorizationView):
    """The consent screen. It shows the app, what each scope allows in words, and, for a
    standalone ``launch/patient`` request by staff, which patient to open; patients always
    launch on their own record; an EHR launch brings its patient in ``launch``."""

    template_name = "interop/smart_authorize.html"

    def _requested_patient(self, request: HttpRequest, scopes: list[str]) -> Patient | None:
        launch = request.GET.get("launch") or request.POST.get("launch")
        if launch:
            found = SmartLaunch.objects.filter(token=launch, user=request.user).first()
            return found.patient if found else None
        own = getattr(request.user, "patient", None)
        if own is not None:
            return own
        chosen = request.POST.get("patient") or request.GET.get("patient")
        if chosen and chosen.isascii() and chosen.isdigit():
            return Patient.objects.filter(pk=int(chosen)).first()
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.request
        scopes = (self.oauth2_data or {}).get("scopes", [])
        wants_patient = "launch/patient" in scopes or "launch" in scopes
        launch = request.GET.get("launch", "")
        context.update(
            {
                "launch": launch,
                "descriptions": [(s, smart_scopes.describe(s, gettext)) for s in scopes],
                "launch_patient": self._requested_patient(request, scopes)
                if wants_patient
                else None,
                "pick_patient": wants_patient
                and not launch
                and getattr(request.user, "patient", None) is None
                and is_staff_user(request.user),
                "patients": Patient.objects.order_by("family_name", "given_name")[:500]
                if wants_patient and is_staff_user(request.user)
                else [],
            }
        )
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        """Let the consent form's answer redirect to the app: browsers hold that redirect to
        the page's CSP ``form-action``. The redirect URI was checked against the app's
        registered ones before the page is drawn."""
        response = super().render_to_response(context, **kwargs)
        redirect_uri = (getattr(self, "oauth2_data", None) or {}).get("redirect_uri") or ""
        parts = urlsplit(redirect_uri)
        if parts.scheme in {"http", "https"} and parts.netloc:
            response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
        return response

    def form_valid(self, form):
        scopes = form.cleaned_data.get("scope", "").split()
        wants_patient = "launch/patient" in scopes or "launch" in scopes
        patient = self._requested_patient(self.request, scopes) if wants_patient else None
        if wants_patient and patient is None and form.cleaned_data.get("allow"):
            form.add_error(None, "Choose the patient whose record the app may open.")
            return self.form_invalid(form)
        if patient is not None and not _may_open(self.request.user, patient):
            form.add_error(None, "You may not open this patient's record.")
            return self.form_invalid(form)
        response = super().form_valid(form)
        location = response.get("Location", "") if hasattr(response, "get") else ""
        code = parse_qs(urlsplit(location).query).get("code", [None])[0]
        if code:
            SmartContext.objects.create(code=code, patient=patient)
        return response


def _may_open(user: Any, patient: Patient) -> bool:
    own = getattr(user, "patient", None)
    if own is not None:
        return own.pk == patient.pk
    return is_clinical_staff(user) or has_role(user, Role.FRONT_DESK)


@login_required
def ehr_launch(request: HttpRequest, client_id: str, patient_id: int) -> HttpResponse:
    """Open a registered app on a patient's record from inside Collis (EHR launch): a one-time
    ``launch`` value, then the app's launch URL with ``iss`` and ``launch``."""
    application = get_object_or_404(get_application_model(), client_id=client_id)
    patient = get_object_or_404(Patient, pk=patient_id)
    smart = getattr(application, "smart", None)
    if smart is None or not smart.launch_url or not _may_open(request.user, patient):
        return HttpResponse("This app cannot be launched on this record.", status=403)
    launch = SmartLaunch.objects.create(
        token=secrets.token_urlsafe(24),
        application=application,
        user=request.user,
        patient=patient,
    )
    iss = absolute(request, "fhir:metadata").removesuffix("/metadata")
    return HttpResponseRedirect(
        f"{smart.launch_url}?{urlencode({'iss': iss, 'launch': launch.token})}"
    )


def _oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": error, "error_description": description},
        status=status,
        headers={"Cache-Control": "no-store"},
    )


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """The token endpoint: ``client_credentials`` with a signed client assertion here (Backend
    Services); every other grant goes to django-oauth-toolkit."""
    if request.POST.get("client_assertion_type") != JWT_BEARER:
        return TokenView.as_view()(request)
    if request.POST.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type", "Assertions are for client_credentials.")
    return _backend_token(request)


def _backend_token(request: HttpRequest) -> HttpResponse:
    assertion = request.POST.get("client_assertion", "")
    try:
        unverified = json.loads(jwt.JWT(jwt=assertion).token.objects["payload"])
    except Exception:  # noqa: BLE001 - any malformed assertion is the same client error
        return _oauth_error("invalid_client", "The client assertion is not a JWT.", 401)
    client_id = unverified.get("iss") if isinstance(unverified, dict) else None
    application = get_application_model().objects.filter(client_id=client_id or "").first()
    smart = getattr(application, "smart", None) if application else None
    if smart is None or not smart.jwks.get("keys"):
        return _oauth_error("invalid_client", "No keys are registered for this client.", 401)
    keys = jwk.JWKSet.from_json(json.dumps(smart.jwks))
    audience = absolute(request, "smart-token")
    try:
        verified = jwt.JWT(
            jwt=assertion,
            key=keys,
            algs=["RS384", "ES384", "RS256"],
            check_claims={"iss": client_id, "sub": client_id, "aud": audience, "exp": None},
        )
        claims = json.loads(verified.claims)
    except Exception as exc:  # noqa: BLE001 - signature, audience, expiry: all invalid_client
        return _oauth_error("invalid_client", f"The client assertion is not valid: {exc}", 401)
    now = time.time()
    if not claims.get("jti") or claims["exp"] > now + 300:
        return _oauth_error(
            "invalid_client", "The assertion needs a jti and exp within 5 min.", 401
        )
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                client_id=client_id,
                jti=claims["jti"],
                expires_at=datetime.fromtimestamp(claims["exp"], tz=UTC),
            )
    except IntegrityError:
        return _oauth_error("invalid_client", "This assertion was already used.", 401)
    requested = request.POST.get("scope", "").split()
    granted = [s for s in requested if (p := smart_scopes.parse(s)) and p.context == "system"]
    if not granted:
        return _oauth_error("invalid_scope", "Ask for system/ scopes, e.g. system/*.rs.")
    raw = secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS)
    access = get_access_token_model()(
        user=application.user, application=application, expires=expires, scope=" ".join(granted)
    )
    set_token_value(access, raw)  # only its SHA-256 is stored (RFC 9700 §4)
    access.save()
    return JsonResponse(
        {
            "access_token": raw,
            "token_type": "bearer",  # nosec B105 - the OAuth token type, not a secret
            "expires_in": oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS,
            "scope": " ".join(granted),
        },
        headers={"Cache-Control": "no-store"},
    )
