"""Lay appointments out as a time-by-column grid for the front-desk calendar (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

__all__ = [
    "GridRow",
    "build_grid",
]


@dataclass
class GridRow:
    label: time
    cells: list[list[Any]] = field(default_factory=list)


def build_grid(
    columns: Sequence[Hashable],
    items: Iterable[tuple[Hashable, datetime, Any]],
    *,
    first: time = time(7),
    last: time = time(19),
    step: timedelta = timedelta(minutes=30),
) -> list[GridRow]:
    """Return rows from ``first`` to ``last``; each cell lists the items starting in that row.

    ``items`` are (column, local start, item). Items before ``first`` go in the first row and
    after ``last`` in the last, so nothing booked is ever hidden.
    """
    minutes = int(step.total_seconds() // 60)
    start_minute = first.hour * 60 + first.minute
    end_minute = last.hour * 60 + last.minute
    labels = [time(m // 60, m % 60) for m in range(start_minute, end_minute, minutes)]
    placed: dict[tuple[Hashable, int], list[Any]] = defaultdict(list)
    for column, local_start, item in items:
        minute = local_start.hour * 60 + local_start.minute
        index = min(max((minute - start_minute) // minutes, 0), len(labels) - 1)
        placed[(column, index)].append(item)
    return [
        GridRow(label, [placed.get((column, i), []) for column in columns])
        for i, label in enumerate(labels)
    ]
