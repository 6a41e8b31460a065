from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for FHIR/API clients, acting as its user with a limited set of scopes.

    Only a SHA-256 digest is stored; the token itself is shown once, when issued.
    Scopes look like ``Patient.read``, ``Appointment.write`` or ``*.read``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw_token() -> str:
        return "collis_" + secrets.token_urlsafe(32)

    def allows(self, resource_type: str, mode: str) -> bool:
        return f"{resource_type}.{mode}" in self.scopes or f"*.{mode}" in self.scopes


class ResourceVersion(models.Model):
    """One version of a FHIR resource as served: ``meta.versionId`` and ``meta.lastUpdated``.

    Collis' records are edited by many apps that know nothing of FHIR, so versions are recorded
    when the FHIR server serves a resource whose content (all but ``meta``) differs from the
    latest recorded version: ``recorded_at`` is when that content was first served. The body is
    kept for ``vread`` and ``_history``.
    """

    resource_type = models.CharField(max_length=64)
    resource_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    body = models.JSONField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "resource_id", "version"], name="fhir_version_unique"
            )
        ]
        indexes = [models.Index(fields=["resource_type", "resource_id"])]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.resource_id}/_history/{self.version}"


class SmartApp(models.Model):
    """SMART details of a registered OAuth application (``oauth2_provider.Application``).

    ``launch_url``: where an EHR launch sends the user (with ``iss`` and ``launch``).
    ``jwks``: the public keys of a Backend Services client, which signs its token requests
    (``private_key_jwt``); JSON Web Key Set as a dict.
    """

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="smart",
    )
    launch_url = models.URLField(blank=True)
    jwks = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"SMART {self.application}"


class SmartLaunch(models.Model):
    """An EHR launch: the opaque ``launch`` value an app brings back to /o/authorize/."""

    token = models.CharField(max_length=64, unique=True)
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"launch of {self.application} for patient {self.patient_id}"


class SmartContext(models.Model):
    """The launch context (patient) of an authorization code, then of the tokens it yields."""

    code = models.CharField(max_length=255, blank=True, db_index=True)
    access_token = models.OneToOneField(
        settings.OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="smart_context",
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"context patient={self.patient_id}"


class UsedAssertion(models.Model):
    """``jti`` of client assertions already used (Backend Services: each is single-use)."""

    client_id = models.CharField(max_length=100)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client_id", "jti"], name="assertion_once")]

    def __str__(self) -> str:
        return self.jti
