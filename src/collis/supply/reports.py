"""Monthly supply reports: units and vials per product, waste, cost per session, authorisations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from collis.injections.models import InjectionSession
from collis.supply import stock
from collis.supply.inventory import core_authorisations
from collis.supply.models import PriorAuthorization, Vial, VialPrice


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


@dataclass
class SessionUse:
    session: InjectionSession
    administered: int
    discarded: int
    cost: Decimal | None


def _price(product_id: int, size: int, on: date, cache: dict) -> Decimal | None:
    key = (product_id, size, on)
    if key not in cache:
        row = (
            VialPrice.objects.filter(
                product_id=product_id, vial_size_units=size, effective_from__lte=on
            )
            .order_by("-effective_from")
            .first()
        )
        cache[key] = row.price if row else None
    return cache[key]


def session_uses(start: date, end: date) -> list[SessionUse]:
    """Each session in [start, end): units drawn, discard billed on it, and what they cost.

    A vial's discard counts for the session that drew from it last; cost is the vial price per
    unit times (drawn + that discard); None when a vial has no price on file.
    """
    sessions = (
        InjectionSession.objects.filter(injected_on__gte=start, injected_on__lt=end)
        .select_related("product", "visit__clinician", "patient")
        .prefetch_related("vial_draws__vial")
        .order_by("injected_on", "pk")
    )
    cache: dict = {}
    uses = []
    for session in sessions:
        administered = discarded = 0
        cost: Decimal | None = Decimal(0)
        for draw in session.vial_draws.all():
            vial = draw.vial
            last = vial.draws.order_by("-drawn_at", "-pk").values_list("pk", flat=True).first()
            waste = (vial.discarded_units or 0) if last == draw.pk else 0
            administered += draw.units
            discarded += waste
            price = _price(session.product_id, vial.size_units, session.injected_on, cache)
            if price is None or cost is None:
                cost = None
            else:
                cost += price / vial.size_units * (draw.units + waste)
        if cost is not None:
            cost = cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        uses.append(SessionUse(session, administered, discarded, cost))
    return uses


def product_month(start: date, end: date) -> list[dict]:
    """Per product: units administered and discarded, vials opened, sessions."""
    rows: dict[str, dict] = defaultdict(
        lambda: {"administered": 0, "discarded": 0, "vials_opened": 0, "sessions": 0}
    )
    for use in session_uses(start, end):
        row = rows[use.session.product.brand]
        row["administered"] += use.administered
        row["discarded"] += use.discarded
        row["sessions"] += 1
    for vial in Vial.objects.filter(
        opened_at__date__gte=start, opened_at__date__lt=end
    ).select_related("lot__product"):
        rows[vial.lot.product.brand]["vials_opened"] += 1
    for row in rows.values():
        row["waste_percent"] = stock.waste_percent(row["administered"], row["discarded"])
    return [{"product": brand, **row} for brand, row in sorted(rows.items())]


def waste_by_clinician(start: date, end: date) -> list[dict]:
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for use in session_uses(start, end):
        key = (use.session.product.brand, str(use.session.visit.clinician))
        rows[key][0] += use.administered
        rows[key][1] += use.discarded
    return [
        {
            "product": product,
            "clinician": clinician,
            "administered": given,
            "discarded": waste,
            "waste_percent": stock.waste_percent(given, waste),
        }
        for (product, clinician), (given, waste) in sorted(rows.items())
    ]


def authorisation_usage(today: date) -> list[dict]:
    """Every authorisation valid today or later: sessions used of approved, days left."""
    rows = []
    for auth in PriorAuthorization.objects.filter(valid_to__gte=today).select_related(
        "patient", "product"
    ):
        core = next(a for a in core_authorisations(auth.patient_id) if a.id == auth.pk)
        rows.append(
            {
                "authorisation": auth,
                "used": core.sessions_used,
                "left": core.sessions_left,
                "days_left": (auth.valid_to - today).days,
            }
        )
    return rows
