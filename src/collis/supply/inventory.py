"""Reads of stock, vials, authorisations and claims: load rows, call the pure cores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from collis.injections.models import InjectionSession, ToxinLot, ToxinProduct
from collis.patients.models import Patient
from collis.providers.models import Location
from collis.supply import authorisation, billing, stock
from collis.supply.models import (
    BillingCode,
    PriorAuthorization,
    ReorderLevel,
    StockAdjustment,
    StockReceipt,
    SupplyPolicy,
    Vial,
    VialDraw,
)


def code_table() -> dict[str, billing.CodeEntry]:
    """Return the clinic's billing table; the defaults fill any key the clinic has not stored."""
    table = billing.as_table(billing.DEFAULT_CODES)
    for row in BillingCode.objects.all():
        table[row.key] = billing.CodeEntry(
            row.key,
            row.code,
            row.description,
            row.evidence,
            row.source,
            row.units_per_billing_unit,
        )
    return table


def unopened_vials(lot: ToxinLot, location: Location | None = None) -> int:
    """Unopened vials of ``lot`` (at ``location``, or everywhere)."""
    where = Q(lot=lot) if location is None else Q(lot=lot, location=location)
    received = StockReceipt.objects.filter(where).aggregate(n=Sum("vials"))["n"] or 0
    adjusted = StockAdjustment.objects.filter(where).aggregate(n=Sum("vials"))["n"] or 0
    opened = Vial.objects.filter(where).count()
    return received + adjusted - opened


def lot_location_ids(lot: ToxinLot) -> set[int]:
    """Every location that ever held this lot: received there, or moved there."""
    return set(StockReceipt.objects.filter(lot=lot).values_list("location_id", flat=True)) | set(
        StockAdjustment.objects.filter(lot=lot).values_list("location_id", flat=True)
    )


def lot_balance(lot: ToxinLot) -> stock.LotBalance:
    """Count each term of the lot's balance from its own records."""
    vials = Vial.objects.filter(lot=lot).annotate(drawn=Sum("draws__units"))
    return stock.lot_balance(
        vial_size_units=lot.vial_size_units,
        received_vials=StockReceipt.objects.filter(lot=lot).aggregate(n=Sum("vials"))["n"] or 0,
        adjustment_vials=StockAdjustment.objects.filter(lot=lot).values_list("vials", flat=True),
        opened=[(v.drawn or 0, v.discarded_units) for v in vials],
    )


@dataclass(frozen=True)
class StockRow:
    lot: ToxinLot
    location: Location
    unopened: int
    expiring_soon: bool
    expired: bool


def stock_rows(today: date | None = None) -> list[StockRow]:
    """Unopened vials per lot and location, with expiry flags (lots ever received)."""
    today = today or timezone.localdate()
    horizon = SupplyPolicy.current().expiring_soon_days
    pairs = sorted(
        set(StockReceipt.objects.values_list("lot_id", "location_id"))
        | set(StockAdjustment.objects.values_list("lot_id", "location_id"))
    )
    lots = ToxinLot.objects.select_related("product").in_bulk({lot for lot, _ in pairs})
    locations = Location.objects.in_bulk({loc for _, loc in pairs})
    rows = []
    for lot_id, location_id in pairs:
        lot, location = lots[lot_id], locations[location_id]
        rows.append(
            StockRow(
                lot,
                location,
                unopened_vials(lot, location),
                stock.expiring_soon(lot.expires_on, today, horizon),
                lot.expires_on < today,
            )
        )
    return rows


@dataclass(frozen=True)
class ReorderRow:
    level: ReorderLevel
    unopened: int


def below_reorder_rows(today: date | None = None) -> list[ReorderRow]:
    """Product, vial size and location whose unexpired unopened vials are under the level."""
    today = today or timezone.localdate()
    rows = []
    for level in ReorderLevel.objects.select_related("product", "location"):
        lots = ToxinLot.objects.filter(
            product=level.product,
            vial_size_units=level.vial_size_units,
            expires_on__gte=today,
        )
        have = sum(unopened_vials(lot, level.location) for lot in lots)
        if stock.below_reorder(have, level.min_vials):
            rows.append(ReorderRow(level, have))
    return rows


def vial_state(vial: Vial) -> stock.VialState:
    drawn = vial.draws.aggregate(n=Sum("units"))["n"] or 0
    pairs = list(vial.draws.values_list("session_id", "session__patient_id"))
    return stock.VialState(
        product_code=vial.lot.product.code,
        size_units=vial.size_units,
        drawn_units=drawn,
        beyond_use_at=vial.beyond_use_at,
        lot_expires_on=vial.lot.expires_on,
        closed=vial.closed_at is not None,
        patient_ids=frozenset(patient for _, patient in pairs),
        session_ids=frozenset(session for session, _ in pairs),
    )


def selectable_vials(
    product: ToxinProduct, patient: Patient, now: datetime | None = None
) -> list[tuple[Vial, stock.VialState]]:
    """Open vials of ``product`` this patient's session may draw from now (others are hidden)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    multi = SupplyPolicy.current().multi_patient_vials
    found = []
    for vial in Vial.objects.filter(
        lot__product=product, closed_at__isnull=True, beyond_use_at__gt=now
    ).select_related("lot__product", "location"):
        state = vial_state(vial)
        if not stock.usable(state, now=now, today=today):
            continue
        if not multi and (state.patient_ids - {patient.pk} or state.session_ids):
            continue  # one patient and one session per single-dose vial
        found.append((vial, state))
    return found


def recall_patients(lot: ToxinLot) -> list[tuple[Patient, list[InjectionSession]]]:
    """Every patient injected from ``lot``: by vial draws and by the session's recorded lot."""
    ids = set(InjectionSession.objects.filter(lot=lot).values_list("pk", flat=True)) | set(
        VialDraw.objects.filter(vial__lot=lot).values_list("session_id", flat=True)
    )
    sessions = (
        InjectionSession.objects.filter(pk__in=ids)
        .select_related("patient")
        .order_by("patient__family_name", "patient__given_name", "injected_on")
    )
    grouped: dict[int, tuple[Patient, list[InjectionSession]]] = {}
    for session in sessions:
        grouped.setdefault(session.patient_id, (session.patient, []))[1].append(session)
    return list(grouped.values())


def session_facts(session: InjectionSession) -> billing.SessionFacts:
    """Turn a session, its injections and its vial draws into billing facts.

    A vial's discard is billed on the session that drew from it last [U: for vials shared
    under a multi-patient policy, confirm the payer's rule].
    """
    uses = []
    for draw in session.vial_draws.select_related("vial"):
        vial = draw.vial
        last_draw = vial.draws.order_by("-drawn_at", "-pk").first()
        discarded = vial.discarded_units
        if discarded is not None and last_draw is not None and last_draw.pk != draw.pk:
            discarded = 0
        uses.append(billing.VialUse(vial.ndc, draw.units, discarded))
    injections = list(session.injections.all())
    return billing.SessionFacts(
        product_code=session.product.code,
        administered_units=sum(i.units for i in injections),
        vials=tuple(uses),
        sides=frozenset(i.side for i in injections),
        guidance=frozenset(i.guidance for i in injections),
    )


def session_claim(session: InjectionSession, table=None) -> billing.Claim:
    return billing.claim_lines(session_facts(session), table or code_table())


def core_authorisations(patient_id: int) -> list[authorisation.Authorisation]:
    """The patient's authorisations with the sessions each has used (same product, in range)."""
    found = []
    for auth in PriorAuthorization.objects.filter(patient_id=patient_id).select_related("product"):
        used = InjectionSession.objects.filter(
            patient_id=patient_id,
            product=auth.product,
            injected_on__gte=auth.valid_from,
            injected_on__lte=auth.valid_to,
        ).count()
        found.append(
            authorisation.Authorisation(
                id=auth.pk,
                number=auth.number,
                payer=auth.payer,
                product_code=auth.product.code,
                units_per_session=auth.units_per_session,
                sessions_approved=auth.sessions_approved,
                sessions_used=used,
                valid_from=auth.valid_from,
                valid_to=auth.valid_to,
            )
        )
    return found


def planned_for(patient_id: int) -> tuple[str | None, int | None]:
    """The product and units of the patient's last session: what the next one likely plans."""
    last = (
        InjectionSession.objects.filter(patient_id=patient_id)
        .select_related("product")
        .order_by("-injected_on", "-pk")
        .first()
    )
    return (last.product.code, last.total_units) if last else (None, None)


def authorisation_status(
    patient_id: int,
    on: date,
    *,
    product_code: str | None = None,
    planned_units: int | None = None,
) -> authorisation.Assessment:
    """Assess the patient's authorisations for an injection on ``on``.

    Without a product or units, the patient's last session's are assumed.
    """
    last_product, last_units = planned_for(patient_id)
    return authorisation.assess(
        core_authorisations(patient_id),
        on,
        product_code=product_code or last_product,
        planned_units=planned_units if planned_units is not None else last_units,
    )


def expiring_authorisations(today: date | None = None, days: int = 30):
    today = today or timezone.localdate()
    return PriorAuthorization.objects.filter(
        valid_to__gte=today, valid_to__lte=today + timedelta(days=days)
    ).select_related("patient", "product")


def sessions_on(day: date):
    return (
        InjectionSession.objects.filter(injected_on=day)
        .select_related("patient", "product", "visit__clinician")
        .prefetch_related("injections")
        .annotate(n_draws=Count("vial_draws"))
        .order_by("pk")
    )
