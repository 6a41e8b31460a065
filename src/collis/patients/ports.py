"""What the patients app reads from apps above it, through readers they register.

The clinician's patient list shows flags beside a patient that other apps raise (e.g. home
check-ins waiting for review or suggesting early wearing-off, issue #16). Those apps sit above
patients, so each registers its reader here from its ``AppConfig.ready()``. Without one
registered, there are no flags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["ListFlag", "list_flags", "register_list_flags"]


@dataclass(frozen=True)
class ListFlag:
    """A short flag beside a patient in the list, linking to where it can be acted on."""

    text: str
    url: str
    urgent: bool = False


# patient ids -> {patient id: flags to show beside that patient}
ListFlagsReader = Callable[[set[int]], Mapping[int, Sequence[ListFlag]]]

_readers: dict[str, ListFlagsReader] = {}


def register_list_flags(name: str, reader: ListFlagsReader) -> None:
    _readers[name] = reader


def list_flags(patient_ids: Iterable[int]) -> dict[int, list[ListFlag]]:
    ids = set(patient_ids)
    flags: dict[int, list[ListFlag]] = {}
    if not ids:
        return flags
    for reader in _readers.values():
        for patient_id, found in reader(ids).items():
            flags.setdefault(patient_id, []).extend(found)
    return flags
