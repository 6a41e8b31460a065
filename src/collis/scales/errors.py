"""Errors of the rating scales (pure: no Django imports).

ScaleError
 └── InvalidAnswersError (ValueError): grades out of range, unknown or missing items
"""

from __future__ import annotations

from dataclasses import dataclass

from collis.lib.errors import DomainError

__all__ = [
    "InvalidAnswersError",
    "ItemProblem",
    "ScaleError",
]


@dataclass(frozen=True)
class ItemProblem:
    """What is wrong with one item, named so a form can show it beside the field."""

    item: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


class ScaleError(DomainError):
    code = "scale_error"


class InvalidAnswersError(ScaleError, ValueError):
    """One or more items are missing or out of range; ``problems`` names each of them."""

    code = "invalid_answers"

    def __init__(self, problems: tuple[ItemProblem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))
