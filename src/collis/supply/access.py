"""Who may do what with supply.

The clinic manager is the administrator role (stock, authorisations, claims, reports, policy).
Clinicians open, draw from and close vials. The front desk sees only an authorisation's
status when booking (through ``collis.lib.booking_checks``), never clinical notes.
"""

from __future__ import annotations

from django.http import Http404

from collis.accounts.roles import Role
from collis.injections.models import InjectionSession, ToxinLot
from collis.supply.models import Vial

MANAGERS = frozenset({Role.ADMINISTRATOR})
VIAL_HANDLERS = frozenset({Role.CLINICIAN, Role.ADMINISTRATOR})
CLINICIANS = frozenset({Role.CLINICIAN})


def get_lot(lot_id: int) -> ToxinLot:
    try:
        return ToxinLot.objects.select_related("product").get(pk=lot_id)
    except ToxinLot.DoesNotExist:
        raise Http404("No such lot.") from None


def get_vial(vial_id: int) -> Vial:
    try:
        return Vial.objects.select_related("lot__product", "location").get(pk=vial_id)
    except Vial.DoesNotExist:
        raise Http404("No such vial.") from None


def get_session(session_id: int) -> InjectionSession:
    try:
        return (
            InjectionSession.objects.select_related("patient", "product", "lot", "visit")
            .prefetch_related("injections")
            .get(pk=session_id)
        )
    except InjectionSession.DoesNotExist:
        raise Http404("No such injection session.") from None
