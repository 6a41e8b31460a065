"""Errors of the supply app (pure: no Django imports).

SupplyError
 ├── VialNotUsableError (ValueError): drawing from a vial past its beyond-use time, closed,
 │                                    of an expired lot, of another product, or shared between
 │                                    patients without the multi-patient policy
 ├── OverdrawError (ValueError): more units drawn than the vial holds
 ├── DrawMismatchError (ValueError): the draws do not add up to the session's administered units
 ├── OutOfStockError (ValueError): no unopened vial of that lot at that location
 └── InvalidStockChangeError (ValueError): a receipt, adjustment or count that makes no sense
"""

from __future__ import annotations

from collis.lib.errors import DomainError

__all__ = [
    "DrawMismatchError",
    "InvalidStockChangeError",
    "OutOfStockError",
    "OverdrawError",
    "SupplyError",
    "VialNotUsableError",
]


class SupplyError(DomainError):
    code = "supply_error"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class VialNotUsableError(SupplyError, ValueError):
    code = "vial_not_usable"


class OverdrawError(SupplyError, ValueError):
    code = "overdraw"


class DrawMismatchError(SupplyError, ValueError):
    code = "draw_mismatch"


class OutOfStockError(SupplyError, ValueError):
    code = "out_of_stock"


class InvalidStockChangeError(SupplyError, ValueError):
    code = "invalid_stock_change"
