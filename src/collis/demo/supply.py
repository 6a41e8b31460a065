"""Demo supply (synthetic): stock received for every demo lot, every demo toxin session drawn
from reconstituted vials that are closed with their waste, prior authorisations, prices.

Everything goes through ``supply.actions``, so the demo obeys the same rules as the clinic.
NDCs use the fictitious labeler 99999 and prices are invented: nothing here is a real figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from collis.demo.context import DemoContext
from collis.demo.patients import clinical_demo_patients
from collis.injections.models import InjectionSession, ToxinLot, ToxinProduct
from collis.patients.models import Patient
from collis.providers.models import Location
from collis.supply import actions
from collis.supply.inventory import unopened_vials
from collis.supply.models import (
    PriorAuthorization,
    ReorderLevel,
    StockAdjustment,
    StockReceipt,
    VialPrice,
)

# Invented per-vial prices for the cost report (demo only; not market prices).
DEMO_PRICE_PER_UNIT = {
    "onabotulinumtoxinA": Decimal("6.50"),
    "abobotulinumtoxinA": Decimal("2.10"),
    "incobotulinumtoxinA": Decimal("5.80"),
    "rimabotulinumtoxinB": Decimal("0.15"),
    "daxibotulinumtoxinA": Decimal("6.00"),
}
PAYERS = ["Prairie Mutual (demo)", "Lakeshore Health Plan (demo)", "Medicare Part B (demo)"]


def demo_ndc(product: ToxinProduct, size: int) -> str:
    """A fictitious NDC (labeler 99999) for demo stock."""
    return f"99999-{product.pk % 10000:04d}-{(size // 50) % 100:02d}"


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def draw_for_sessions(
    sessions: Iterable[InjectionSession], *, location: Location, actor, rng
) -> None:
    """Open, draw from and close vials for each session, as the clinic would that morning.

    Each session opens the vials of its lot it needs, draws its units (whole vials first), and
    closes them after the visit: the remainder is discarded.
    """
    for session in sessions:
        if session.vial_draws.exists():
            continue
        need = session.total_units
        lot = session.lot
        day = session.injected_on
        opened_at = _at(day, 8, 30)
        vials = []
        for _ in range(math.ceil(need / lot.vial_size_units)):
            if unopened_vials(lot, location) <= 0:
                actions.receive_stock(
                    None,
                    actor=actor,
                    product=lot.product,
                    lot_number=lot.lot_number,
                    vial_size_units=lot.vial_size_units,
                    expires_on=lot.expires_on,
                    vials=10,
                    ndc=demo_ndc(lot.product, lot.vial_size_units),
                    supplier="Demo Specialty Distribution",
                    received_on=day - timedelta(days=rng.randint(3, 20)),
                    location=location,
                )
            vials.append(
                actions.open_vial(
                    None,
                    actor=actor,
                    lot=lot,
                    location=location,
                    diluent_ml=Decimal(lot.vial_size_units)
                    / Decimal(session.dilution_units_per_ml),
                    opened_at=opened_at,
                )
            )
        draws = []
        left = need
        for vial in vials:
            units = min(left, vial.size_units)
            draws.append((vial, units))
            left -= units
        actions.record_draws(
            None, actor=actor, session=session, draws=draws, now=_at(day, 9, rng.randint(0, 50))
        )
        for vial in vials:
            actions.close_vial(None, actor=actor, vial=vial, closed_at=_at(day, 12))


def seed(ctx: DemoContext) -> None:
    actions.ensure_billing_codes()
    location = Location.objects.filter(is_active=True).order_by("pk").first()
    if location is None:
        return
    admin = get_user_model().objects.filter(username="admin").first()
    today = ctx.now.astimezone(timezone.get_current_timezone()).date()
    for product in ToxinProduct.objects.all():
        for size in product.vial_sizes or [100]:
            VialPrice.objects.get_or_create(
                product=product,
                vial_size_units=size,
                effective_from=today - timedelta(days=400),
                defaults={"price": DEMO_PRICE_PER_UNIT.get(product.code, Decimal(5)) * size},
            )
        ReorderLevel.objects.get_or_create(
            product=product,
            vial_size_units=(product.vial_sizes or [100])[0],
            location=location,
            defaults={"min_vials": 4},
        )
    sessions = InjectionSession.objects.select_related("lot__product").order_by("injected_on", "pk")
    # Lots received for the first time: a stock for the year, then sessions drawn in order.
    for lot in ToxinLot.objects.filter(sessions__isnull=False).distinct():
        if not StockReceipt.objects.filter(lot=lot).exists():
            first = sessions.filter(lot=lot).first()
            actions.receive_stock(
                None,
                actor=admin,
                product=lot.product,
                lot_number=lot.lot_number,
                vial_size_units=lot.vial_size_units,
                expires_on=lot.expires_on,
                vials=12,
                ndc=demo_ndc(lot.product, lot.vial_size_units),
                supplier="Demo Specialty Distribution",
                received_on=first.injected_on - timedelta(days=14),
                location=location,
            )
    for session in sessions:
        clinician_user = session.created_by or admin
        draw_for_sessions([session], location=location, actor=clinician_user, rng=ctx.rng)
    # One broken vial, once.
    lot = ToxinLot.objects.filter(receipts__isnull=False).order_by("pk").first()
    if (
        lot is not None
        and not StockAdjustment.objects.filter(reason=StockAdjustment.Reason.BREAKAGE).exists()
        and unopened_vials(lot, location) > 0
    ):
        actions.adjust_stock(
            None,
            actor=admin,
            lot=lot,
            location=location,
            vials=-1,
            reason=StockAdjustment.Reason.BREAKAGE,
            note="Demo: vial dropped while unpacking.",
        )
    _seed_authorisations(ctx, admin, today)


def _seed_authorisations(ctx: DemoContext, admin, today) -> None:
    """Most demo patients hold a valid authorisation; one has expired, one expires soon."""
    for index, patient in enumerate(clinical_demo_patients()):
        if PriorAuthorization.objects.filter(patient=patient).exists():
            continue
        last = InjectionSession.objects.filter(patient=patient).order_by("-injected_on").first()
        if last is None:
            continue
        if index == 1:
            valid_from, valid_to = today - timedelta(days=400), today - timedelta(days=20)
        elif index == 2:
            valid_from, valid_to = today - timedelta(days=340), today + timedelta(days=18)
        else:
            valid_from, valid_to = today - timedelta(days=300), today + timedelta(days=200)
        actions.record_authorisation(
            None,
            actor=admin,
            patient=patient,
            payer=PAYERS[index % len(PAYERS)],
            number=f"PA-DEMO-{index + 1:04d}",
            product=last.product,
            # One patient's approval is below the units now planned, to show the warning.
            units_per_session=last.total_units - 20 if index == 3 else last.total_units + 50,
            sessions_approved=6,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    # Patients booked for an injection with no toxin history yet: most hold a new Botox
    # authorisation; about one in five has none, so the desk sees the warning.
    from collis.scheduling.models import Appointment

    booked = (
        Appointment.objects.active()
        .filter(start__gte=ctx.now, appointment_type__is_reinjection=True)
        .exclude(patient__prior_authorizations__isnull=False)
        .values_list("patient_id", flat=True)
        .distinct()
        .order_by("patient_id")
    )
    botox = ToxinProduct.objects.get(code="onabotulinumtoxinA")
    for n, patient_id in enumerate(booked):
        if patient_id % 5 == 4:
            continue
        actions.record_authorisation(
            None,
            actor=admin,
            patient=Patient.objects.get(pk=patient_id),
            payer=PAYERS[n % len(PAYERS)],
            number=f"PA-DEMO-N{patient_id:04d}",
            product=botox,
            units_per_session=300,
            sessions_approved=4,
            valid_from=today - timedelta(days=10),
            valid_to=today + timedelta(days=355),
        )
