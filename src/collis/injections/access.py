"""Guarded reads of toxin sessions: clinicians only (see patients.access)."""

from __future__ import annotations

from django.http import Http404

from collis.injections.models import InjectionSession
from collis.patients.access import require_clinician


def access_session(user, session_id: int) -> InjectionSession:
    require_clinician(user)
    try:
        return (
            InjectionSession.objects.select_related("patient", "product", "lot", "visit")
            .prefetch_related("injections", "adverse_events")
            .get(pk=session_id)
        )
    except InjectionSession.DoesNotExist:
        raise Http404("No such injection session.") from None
