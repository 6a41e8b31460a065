"""FHIR types of toxin supply: Medication (one per lot, referenced from MedicationAdministration),
Coverage + ClaimResponse (one pair per prior authorisation; why, in ``supply_mappers``).

Medication is product data, not a patient's. Coverage and ClaimResponse are administrative: the
front desk may read them (it sees authorisation status when booking), patients only their own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from collis.injections.models import ToxinLot
from collis.interop.fhir import supply_mappers
from collis.interop.fhir.resources import ResourceType, SearchParam, register, token
from collis.interop.fhir.search import numeric_reference
from collis.supply.inventory import core_authorisations
from collis.supply.models import PriorAuthorization, StockReceipt


def _patient(qs: QuerySet, value: str) -> QuerySet:
    return qs.filter(patient_id=numeric_reference(value, "Patient"))


def _medication(lot: ToxinLot) -> dict[str, Any]:
    receipt = StockReceipt.objects.filter(lot=lot).order_by("-received_on").first()
    ndc = "".join(ch for ch in receipt.ndc if ch.isdigit()) if receipt else None
    return supply_mappers.medication(lot, ndc or None)


def _claim_response(auth: PriorAuthorization) -> dict[str, Any]:
    used = next(a.sessions_used for a in core_authorisations(auth.patient_id) if a.id == auth.pk)
    return supply_mappers.claim_response(auth, used)


register(
    ResourceType(
        name="Medication",
        queryset=lambda: ToxinLot.objects.select_related("product"),
        to_fhir=_medication,
        search={
            "lot-number": token("lot_number", None),
        },
    )
)
register(
    ResourceType(
        name="Coverage",
        queryset=lambda: PriorAuthorization.objects.all(),
        to_fhir=supply_mappers.coverage,
        search={
            "beneficiary": SearchParam("reference", _patient),
            "patient": SearchParam("reference", _patient),
        },
        patient_field="patient",
    )
)
register(
    ResourceType(
        name="ClaimResponse",
        queryset=lambda: PriorAuthorization.objects.select_related("product"),
        to_fhir=_claim_response,
        search={"patient": SearchParam("reference", _patient)},
        patient_field="patient",
    )
)
