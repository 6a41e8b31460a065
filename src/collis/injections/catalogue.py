"""Make sure the product table holds every product of ``dosing.LABELS``."""

from __future__ import annotations

from collis.injections import dosing
from collis.injections.models import ToxinProduct


def ensure_label_products() -> None:
    """Create missing products with their label figures; a clinic's edits are left alone."""
    for label in dosing.LABELS.values():
        ToxinProduct.objects.get_or_create(
            code=label.code,
            defaults={
                "generic_name": label.generic_name,
                "brand": label.brand,
                "session_limit_units": label.session_limit_units,
                "limit_window_days": label.limit_window_days,
                "recommended_max_units": label.recommended_max_units,
                "scm_advisory_units": label.scm_advisory_units,
                "min_interval_days": label.min_interval_days,
                "vial_sizes": list(label.vial_sizes),
            },
        )
