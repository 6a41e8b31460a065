"""Parse untrusted request parameters into plain values, or None: never an exception past here.

Pure (no Django). ``str.isdigit`` is not a validator: ``"²".isdigit()`` is true and ``int("²")``
raises; Arabic-Indic digits pass ``isdecimal`` and silently become another id. Dates near the
ends of the calendar overflow as soon as a day is added, so dates outside a sane window are
refused before any arithmetic.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only; fits a 64-bit key

# Far enough for any birth date or booking horizon; far from datetime's MINYEAR/MAXYEAR.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def parse_id(text: object) -> int | None:
    """The positive integer key ``text`` spells in ASCII digits, else None."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value > 0 else None


def sane_date(value: date | None) -> bool:
    return value is not None and EARLIEST <= value <= LATEST


def parse_date(text: object) -> date | None:
    """An ISO ``YYYY-MM-DD`` date inside [EARLIEST, LATEST], else None."""
    if not isinstance(text, str):
        return None
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if sane_date(value) else None


def parse_aware_datetime(text: object) -> datetime | None:
    """An ISO 8601 date-time with a UTC offset, its date inside the sane window, else None."""
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None or value.utcoffset() is None or not sane_date(value.date()):
        return None
    return value
