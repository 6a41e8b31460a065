from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from collis.interop.models import ApiToken

VALID_MODES = {"read", "write"}


class ScopeError(ValueError):
    """A requested scope is not of the form ``Resource.read|write``."""


@transaction.atomic
def issue_api_token(user: AbstractBaseUser, label: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with the raw secret (shown once, never stored)."""
    for scope in scopes:
        resource, _, mode = scope.partition(".")
        if not resource or mode not in VALID_MODES:
            raise ScopeError(f"Scope {scope!r} must look like 'Patient.read' or '*.write'.")
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=user, label=label, digest=ApiToken.digest_of(raw), scopes=scopes
    )
    return token, raw


def revoke_api_token(token: ApiToken, *, actor=None, request=None) -> None:  # noqa: ANN001
    """Revoke ``token`` at once and record who did it (a security event)."""
    from collis.audit.actions import Action, record_access

    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record_access(
            request,
            Action.UPDATE,
            token,
            user=actor,
            detail={"change": "revoked", "label": token.label, "owner": token.user_id},
        )
