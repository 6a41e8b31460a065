"""Adherence of the home programme over the last days (reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from collis.diary.models import AdherenceCheck, HomeProgramme, ProgrammeItem


@dataclass(frozen=True)
class ItemWeek:
    item: ProgrammeItem
    days: tuple[tuple[date, bool], ...]  # oldest first, ending today

    @property
    def done_count(self) -> int:
        return sum(done for _, done in self.days)


def week_of(programme: HomeProgramme, today: date, days: int = 7) -> list[ItemWeek]:
    """Return each programme item with its ticks over the ``days`` days ending ``today``."""
    start = today - timedelta(days=days - 1)
    dates = [start + timedelta(days=n) for n in range(days)]
    items = list(programme.items.select_related("exercise"))
    ticks = set(
        AdherenceCheck.objects.filter(item__in=items, done_on__gte=start).values_list(
            "item_id", "done_on"
        )
    )
    return [ItemWeek(item, tuple((d, (item.pk, d) in ticks) for d in dates)) for item in items]
