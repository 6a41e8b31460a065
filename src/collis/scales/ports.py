"""What the scales app reads from apps above it, through a reader they register.

A TWSTRS form starts from the grades a posture analysis suggests. ``recordings`` owns those
analyses and sits above ``scales`` (it labels its own suggestions with TWSTRS items), so scales
cannot import it: ``recordings`` registers its reader here from its ``AppConfig.ready()``.
Without one registered, there is no posture suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "PostureSeverityReader",
    "posture_caveats_for_visit",
    "posture_severity_for_visit",
    "register_posture_caveats",
    "register_posture_severity",
]

# visit -> the ``twstrs_severity`` of its newest posture analysis ({} if none).
PostureSeverityReader = Callable[[Any], Mapping[str, object]]

_reader: PostureSeverityReader | None = None


def register_posture_severity(reader: PostureSeverityReader) -> None:
    """Make ``reader`` the source of posture severities (the last registration wins)."""
    global _reader
    _reader = reader


def posture_severity_for_visit(visit: Any) -> dict[str, object]:
    """Return the ``twstrs_severity`` of the visit's newest posture analysis, or {} if none."""
    if _reader is None:
        return {}
    return dict(_reader(visit))


# visit -> {item: caveat text} of its newest posture analysis's suggestions ({} if none).
_caveats_reader: Callable[[Any], Mapping[str, str]] | None = None


def register_posture_caveats(reader: Callable[[Any], Mapping[str, str]]) -> None:
    """Make ``reader`` the source of the caveats shown beside pre-filled TWSTRS items."""
    global _caveats_reader
    _caveats_reader = reader


def posture_caveats_for_visit(visit: Any) -> dict[str, str]:
    """Return {item: caveat} for the visit's newest posture suggestions, or {} if none."""
    if _caveats_reader is None:
        return {}
    return dict(_caveats_reader(visit))
