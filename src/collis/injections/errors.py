"""Errors of botulinum-toxin records (pure: no Django imports).

InjectionError
 ├── InvalidPlanError (ValueError): a session plan that cannot be recorded (bad units, unknown
 │   │                              muscle, duplicate muscle and side, expired lot, no injections,
 │   │                              dilution × volume not matching the units)
 │   └── ProductMismatchError: the doses were entered for another product than the one injected
 ├── InvalidLabelError (ValueError): a clinic's edited label figures that cannot be used
 └── UnacknowledgedWarningsError: label warnings fired and no clinician reason was given
"""

from __future__ import annotations

from typing import Any

from collis.lib.errors import DomainError

__all__ = [
    "InjectionError",
    "InvalidLabelError",
    "InvalidPlanError",
    "ProductMismatchError",
    "UnacknowledgedWarningsError",
]


class InjectionError(DomainError):
    code = "injection_error"


class InvalidPlanError(InjectionError, ValueError):
    code = "invalid_plan"

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class ProductMismatchError(InvalidPlanError):
    """The doses were entered in one product's units and the lot is of another product."""

    code = "product_mismatch"

    def __init__(self, units_product: str, product: str) -> None:
        self.units_product = units_product
        self.product = product
        super().__init__(
            (
                f"The doses were entered for {units_product}, but the lot is {product}: units "
                "are not interchangeable between products. Re-enter every dose in the new "
                "product's units.",
            )
        )


class InvalidLabelError(InjectionError, ValueError):
    code = "invalid_label"

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class UnacknowledgedWarningsError(InjectionError):
    """Label warnings fired; a clinician must acknowledge them with a reason before saving."""

    code = "unacknowledged_warnings"

    def __init__(self, warnings: tuple[Any, ...]) -> None:
        self.warnings = warnings
        super().__init__(
            "Acknowledge these warnings with a reason: " + "; ".join(w.message for w in warnings)
        )
