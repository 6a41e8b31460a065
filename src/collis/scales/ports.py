"""What the scales app reads from apps above it, through a reader they register.

A TWSTRS form starts from the grades a posture analysis suggests. ``recordings`` owns those
analyses and sits above ``scales`` (it labels its own suggestions with TWSTRS items), so scales
cannot import it: ``recordings`` registers its reader here from its ``AppConfig.ready()``.
Without one registered, there is no posture suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["PostureSeverityReader", "posture_severity_for_visit", "register_posture_severity"]

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
