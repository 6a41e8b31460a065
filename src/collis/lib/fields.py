"""Form fields that refuse what would overflow later, so a view answers 400/200, never 500."""

from __future__ import annotations

from django import forms

from collis.lib.inputs import EARLIEST, LATEST, sane_date

MAX_ID = 2**63 - 1  # a database bigint; larger numbers overflow SQLite and PostgreSQL


class SaneDateField(forms.DateField):
    """A date between 1900 and 2200: 0001-01-01 and 9999-12-31 are refused, not a 500."""

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and not sane_date(value):
            raise forms.ValidationError(
                f"Enter a date between {EARLIEST:%Y} and {LATEST:%Y}.", code="range"
            )


class IdField(forms.IntegerField):
    """A database key: a positive whole number that fits a bigint."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
