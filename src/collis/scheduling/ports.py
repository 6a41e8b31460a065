"""What the scheduling app reads from apps above it, through readers they register.

The recall list shows decision-support notes about a patient (e.g. home check-ins flagging early
wearing-off, issue #16). ``checkins`` sits above scheduling, so it registers its reader here
from its ``AppConfig.ready()``. Without one registered, there are no notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

__all__ = ["recall_notes", "register_recall_notes"]

# patient ids -> {patient id: a short suggestion to show beside that patient}
RecallNotesReader = Callable[[set[int]], Mapping[int, str]]

_readers: dict[str, RecallNotesReader] = {}


def register_recall_notes(name: str, reader: RecallNotesReader) -> None:
    _readers[name] = reader


def recall_notes(patient_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = set(patient_ids)
    notes: dict[int, list[str]] = {}
    for reader in _readers.values():
        for patient_id, note in reader(ids).items():
            notes.setdefault(patient_id, []).append(note)
    return notes
