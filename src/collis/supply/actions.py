"""Writes of stock, vials, draws, authorisations and the clinic's supply tables.

Every write is atomic, locks what it counts, and appends an audit event. Web views, the API,
the admin and the demo seeder all call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.injections.models import InjectionSession, ToxinLot, ToxinProduct
from collis.patients.models import Patient
from collis.providers.models import Location
from collis.supply import billing, stock
from collis.supply.errors import (
    DrawMismatchError,
    InvalidStockChangeError,
    OutOfStockError,
    VialNotUsableError,
)
from collis.supply.inventory import lot_location_ids, unopened_vials, vial_state
from collis.supply.models import (
    BillingCode,
    PriorAuthorization,
    StockAdjustment,
    StockReceipt,
    SupplyPolicy,
    Vial,
    VialDraw,
)


def ensure_billing_codes() -> None:
    """Store the default billing table; codes a clinic edited are left alone."""
    for entry in billing.DEFAULT_CODES:
        BillingCode.objects.get_or_create(
            key=entry.key,
            defaults={
                "code": entry.code,
                "description": entry.description,
                "units_per_billing_unit": entry.units_per_billing_unit,
                "evidence": entry.evidence,
                "source": entry.source[:300],
            },
        )


def _lock_lot(lot: ToxinLot) -> ToxinLot:
    # Every stock change of a lot serialises on the lot row, so counts never race.
    return ToxinLot.objects.select_for_update().select_related("product").get(pk=lot.pk)


@transaction.atomic
def receive_stock(
    request: HttpRequest | None,
    *,
    actor: Any,
    product: ToxinProduct,
    lot_number: str,
    vial_size_units: int,
    expires_on: date,
    vials: int,
    ndc: str,
    supplier: str,
    received_on: date,
    location: Location,
) -> StockReceipt:
    """Receive ``vials`` of a lot into ``location`` (the lot is created on first receipt).

    Raises InvalidStockChangeError for no vials, an unknown vial size, or a lot number already
    on file with another size or expiry.
    """
    if vials <= 0:
        raise InvalidStockChangeError("Receive at least one vial.")
    if product.vial_sizes and vial_size_units not in product.vial_sizes:
        raise InvalidStockChangeError(
            f"{product.brand} comes in {', '.join(map(str, product.vial_sizes))} unit vials."
        )
    lot, created = ToxinLot.objects.get_or_create(
        product=product,
        lot_number=lot_number.strip(),
        defaults={"vial_size_units": vial_size_units, "expires_on": expires_on},
    )
    if not created and (lot.vial_size_units, lot.expires_on) != (vial_size_units, expires_on):
        raise InvalidStockChangeError(
            f"Lot {lot.lot_number} is on file as {lot.vial_size_units} U vials expiring "
            f"{lot.expires_on:%Y-%m-%d}."
        )
    _lock_lot(lot)
    receipt = StockReceipt.objects.create(
        lot=lot,
        location=location,
        vials=vials,
        ndc=ndc.strip(),
        supplier=supplier.strip(),
        received_on=received_on,
        received_by=actor,
    )
    record_access(
        request,
        Action.CREATE,
        receipt,
        user=actor,
        detail={"lot": lot.lot_number, "vials": vials, "location": location.slug},
    )
    return receipt


@transaction.atomic
def adjust_stock(
    request: HttpRequest | None,
    *,
    actor: Any,
    lot: ToxinLot,
    location: Location,
    vials: int,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> StockAdjustment:
    """Add (positive) or remove (negative) unopened vials with a reason; audited."""
    lot = _lock_lot(lot)
    if vials == 0:
        raise InvalidStockChangeError("An adjustment changes at least one vial.")
    if reason not in StockAdjustment.Reason.values:
        raise InvalidStockChangeError(f"Unknown reason {reason!r}.")
    if reason == StockAdjustment.Reason.OTHER and not note.strip():
        raise InvalidStockChangeError("Say why in the note.")
    have = unopened_vials(lot, location)
    if have + vials < 0:
        raise InvalidStockChangeError(f"Only {have} unopened vial(s) of this lot are here.")
    adjustment = StockAdjustment.objects.create(
        lot=lot,
        location=location,
        vials=vials,
        reason=reason,
        note=note.strip(),
        adjusted_by=actor,
        adjusted_at=now or timezone.now(),
    )
    record_access(
        request,
        Action.CREATE,
        adjustment,
        user=actor,
        detail={"lot": lot.lot_number, "vials": vials, "reason": reason, "before": have},
    )
    return adjustment


def count_stock(
    request: HttpRequest | None,
    *,
    actor: Any,
    lot: ToxinLot,
    location: Location,
    counted_vials: int,
    note: str = "",
) -> StockAdjustment | None:
    """Record a physical count: the difference (if any) becomes a 'count' adjustment."""
    if counted_vials < 0:
        raise InvalidStockChangeError("A count cannot be negative.")
    with transaction.atomic():
        lot = _lock_lot(lot)
        difference = counted_vials - unopened_vials(lot, location)
        record_access(
            request,
            Action.UPDATE,
            lot,
            user=actor,
            detail={"count": counted_vials, "difference": difference, "location": location.slug},
        )
        if difference == 0:
            return None
        return adjust_stock(
            request,
            actor=actor,
            lot=lot,
            location=location,
            vials=difference,
            reason=StockAdjustment.Reason.COUNT,
            note=note,
        )


@transaction.atomic
def transfer_stock(
    request: HttpRequest | None,
    *,
    actor: Any,
    lot: ToxinLot,
    from_location: Location,
    to_location: Location,
    vials: int,
    note: str = "",
) -> tuple[StockAdjustment, StockAdjustment]:
    """Move unopened vials between locations: two 'transfer' adjustments that sum to zero."""
    if from_location == to_location or vials <= 0:
        raise InvalidStockChangeError("Move at least one vial to another location.")
    note = note.strip() or f"{from_location} → {to_location}"
    out = adjust_stock(
        request,
        actor=actor,
        lot=lot,
        location=from_location,
        vials=-vials,
        reason=StockAdjustment.Reason.TRANSFER,
        note=note,
    )
    into = adjust_stock(
        request,
        actor=actor,
        lot=lot,
        location=to_location,
        vials=vials,
        reason=StockAdjustment.Reason.TRANSFER,
        note=note,
    )
    return out, into


@transaction.atomic
def recall_lot(
    request: HttpRequest | None, *, actor: Any, lot: ToxinLot, note: str = ""
) -> list[StockAdjustment]:
    """Take every unopened vial of ``lot`` out of stock (reason recall) at every location."""
    lot = _lock_lot(lot)
    removed = []
    for location in Location.objects.filter(pk__in=lot_location_ids(lot)):
        have = unopened_vials(lot, location)
        if have > 0:
            removed.append(
                adjust_stock(
                    request,
                    actor=actor,
                    lot=lot,
                    location=location,
                    vials=-have,
                    reason=StockAdjustment.Reason.RECALL,
                    note=note,
                )
            )
    return removed


@transaction.atomic
def open_vial(
    request: HttpRequest | None,
    *,
    actor: Any,
    lot: ToxinLot,
    location: Location,
    diluent_ml: Decimal | None,
    opened_at: datetime | None = None,
) -> Vial:
    """Open (reconstitute) one vial of ``lot`` at ``location``; beyond-use time from the label.

    Raises OutOfStockError when no unopened vial is there, VialNotUsableError for an expired
    lot.
    """
    lot = _lock_lot(lot)
    opened_at = opened_at or timezone.now()
    if lot.expires_on < timezone.localdate(opened_at):
        raise VialNotUsableError(f"Lot {lot.lot_number} expired on {lot.expires_on:%Y-%m-%d}.")
    if unopened_vials(lot, location) <= 0:
        raise OutOfStockError(f"No unopened vial of lot {lot.lot_number} at {location}.")
    receipt = StockReceipt.objects.filter(lot=lot, location=location).first()
    vial = Vial.objects.create(
        lot=lot,
        location=location,
        ndc=receipt.ndc if receipt else "",
        size_units=lot.vial_size_units,
        diluent_ml=diluent_ml,
        opened_at=opened_at,
        beyond_use_at=stock.beyond_use_at(lot.product.code, opened_at),
        reconstituted_by=actor,
    )
    record_access(
        request,
        Action.CREATE,
        vial,
        user=actor,
        detail={
            "lot": lot.lot_number,
            "diluent_ml": str(diluent_ml),
            "beyond_use": str(vial.beyond_use_at),
        },
    )
    return vial


@transaction.atomic
def record_draws(
    request: HttpRequest | None,
    *,
    actor: Any,
    session: InjectionSession,
    draws: Sequence[tuple[Vial, int]],
    now: datetime | None = None,
) -> list[VialDraw]:
    """Record the vials a session drew from; together they must equal its injected units.

    Raises DrawMismatchError when the sum differs or the session already has draws,
    VialNotUsableError / OverdrawError per vial (see ``stock.check_draw``).
    """
    now = now or timezone.now()
    session = (
        InjectionSession.objects.select_for_update().select_related("product").get(pk=session.pk)
    )
    if session.vial_draws.exists():
        raise DrawMismatchError("This session's vial draws are already recorded.")
    administered = session.injections.aggregate(n=Sum("units"))["n"] or 0
    if sum(units for _, units in draws) != administered:
        raise DrawMismatchError(
            f"The draws add up to {sum(u for _, u in draws)} U; {administered} U were injected."
        )
    if len({vial.pk for vial, _ in draws}) != len(draws):
        raise DrawMismatchError("Name each vial once.")
    multi = SupplyPolicy.current().multi_patient_vials
    created = []
    for vial, units in draws:
        vial = Vial.objects.select_for_update().select_related("lot__product").get(pk=vial.pk)
        stock.check_draw(
            vial_state(vial),
            product_code=session.product.code,
            units=units,
            patient_id=session.patient_id,
            session_id=session.pk,
            now=now,
            today=timezone.localdate(now),
            multi_patient_policy=multi,
        )
        created.append(
            VialDraw.objects.create(
                vial=vial, session=session, units=units, drawn_by=actor, drawn_at=now
            )
        )
    record_access(
        request,
        Action.CREATE,
        session,
        object_type="supply.VialDraw",
        user=actor,
        detail={"draws": [[d.vial_id, d.units] for d in created]},
    )
    return created


@transaction.atomic
def close_vial(
    request: HttpRequest | None, *, actor: Any, vial: Vial, closed_at: datetime | None = None
) -> Vial:
    """Close a vial: whatever was not drawn is recorded as discarded."""
    vial = Vial.objects.select_for_update().get(pk=vial.pk)
    if vial.closed_at is not None:
        raise VialNotUsableError("This vial is already closed.")
    drawn = vial.draws.aggregate(n=Sum("units"))["n"] or 0
    vial.discarded_units = stock.discard_at_close(vial.size_units, drawn)
    vial.closed_at = closed_at or timezone.now()
    vial.closed_by = actor
    vial.save(update_fields=["discarded_units", "closed_at", "closed_by"])
    last = vial.draws.select_related("session").order_by("-drawn_at", "-pk").first()
    record_access(
        request,
        Action.UPDATE,
        vial,
        user=actor,
        patient_id=last.session.patient_id if last else None,
        detail={"drawn": drawn, "discarded": vial.discarded_units},
    )
    return vial


@transaction.atomic
def set_supply_policy(
    request: HttpRequest | None,
    *,
    actor: Any,
    multi_patient_vials: bool,
    multi_patient_policy: str = "",
    expiring_soon_days: int | None = None,
) -> SupplyPolicy:
    """Change the clinic's supply policy; multi-patient use needs the written policy."""
    if multi_patient_vials and not multi_patient_policy.strip():
        raise InvalidStockChangeError("Write the clinic's multi-patient policy to turn it on.")
    policy = SupplyPolicy.objects.select_for_update().order_by("pk").first() or SupplyPolicy()
    policy.multi_patient_vials = multi_patient_vials
    policy.multi_patient_policy = multi_patient_policy.strip()
    if expiring_soon_days is not None:
        policy.expiring_soon_days = expiring_soon_days
    policy.updated_by = actor
    policy.save()
    record_access(
        request,
        Action.UPDATE,
        policy,
        user=actor,
        detail={"multi_patient_vials": multi_patient_vials},
    )
    return policy


@transaction.atomic
def record_authorisation(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    payer: str,
    number: str,
    product: ToxinProduct,
    units_per_session: int,
    sessions_approved: int,
    valid_from: date,
    valid_to: date,
    diagnosis_code: str = "G24.3",
    procedure_code: str = "64616",
    note: str = "",
) -> PriorAuthorization:
    """Record a payer's prior authorisation for a patient's toxin injections."""
    if valid_to < valid_from:
        raise InvalidStockChangeError("The authorisation ends before it starts.")
    if units_per_session <= 0 or sessions_approved <= 0:
        raise InvalidStockChangeError("Approved units and sessions must be positive.")
    auth = PriorAuthorization.objects.create(
        patient=patient,
        payer=payer.strip(),
        number=number.strip(),
        product=product,
        units_per_session=units_per_session,
        sessions_approved=sessions_approved,
        valid_from=valid_from,
        valid_to=valid_to,
        diagnosis_code=diagnosis_code.strip(),
        procedure_code=procedure_code.strip(),
        note=note.strip(),
        created_by=actor,
    )
    record_access(request, Action.CREATE, auth, user=actor, detail={"number": auth.number})
    return auth
