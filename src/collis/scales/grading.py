"""Item definitions and answer checking shared by every scale (pure: no Django imports)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from collis.scales.errors import InvalidAnswersError, ItemProblem

__all__ = [
    "ItemSpec",
    "check_answers",
]


@dataclass(frozen=True)
class ItemSpec:
    """One scored item: its key, label, allowed whole-number grades and what each grade means."""

    key: str
    label: str
    group: str
    minimum: int
    maximum: int
    grades: tuple[str, ...] = ()
    weight: int = 1

    @property
    def max_points(self) -> int:
        return self.maximum * self.weight

    def grade_label(self, grade: int) -> str:
        index = grade - self.minimum
        if 0 <= index < len(self.grades):
            return self.grades[index]
        return str(grade)


def check_answers(
    items: tuple[ItemSpec, ...], answers: Mapping[str, object], *, require_all: bool
) -> dict[str, int]:
    """Return the answered items as ints, or raise naming every bad item.

    ``None`` or ``""`` means "not answered": allowed in a draft (``require_all=False``) but an
    error when the form is to be scored. Booleans, fractions and text are rejected, not coerced.
    """
    known = {item.key for item in items}
    problems: list[ItemProblem] = [
        ItemProblem(key, key, "is not an item of this scale") for key in answers if key not in known
    ]
    clean: dict[str, int] = {}
    for item in items:
        raw = answers.get(item.key)
        if raw is None or raw == "":
            if require_all:
                problems.append(ItemProblem(item.key, item.label, "is missing"))
            continue
        grade = _as_grade(raw)
        if grade is None:
            problems.append(ItemProblem(item.key, item.label, "must be a whole number"))
        elif not item.minimum <= grade <= item.maximum:
            problems.append(
                ItemProblem(
                    item.key,
                    item.label,
                    f"grade {grade} is out of range {item.minimum}–{item.maximum}",
                )
            )
        else:
            clean[item.key] = grade
    if problems:
        raise InvalidAnswersError(tuple(problems))
    return clean


# ASCII digits only, one optional minus: "--2" and "²" are not numbers, and "٣" (Arabic-Indic
# three) is not accepted as 3 on a form that shows and stores Western digits.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def _as_grade(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip()):
        return int(raw.strip())
    return None
