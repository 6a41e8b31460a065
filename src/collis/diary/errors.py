"""Errors of the diary and home programme.

DiaryError
 └── FutureEntryError (ValueError): a diary entry or check-off dated after today
"""

from collis.lib.errors import DomainError


class DiaryError(DomainError):
    code = "diary_error"


class FutureEntryError(DiaryError, ValueError):
    code = "future_entry"

    def __init__(self) -> None:
        super().__init__("You cannot log a day that has not happened yet.")
