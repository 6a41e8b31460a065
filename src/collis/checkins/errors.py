"""Errors of home check-ins; each message can be shown to the patient as it is.

Tree::

    CheckinError                  code "checkins.*"
    ├── ConsentMissingError       checkins.consent_missing
    ├── VideoTooShortError        checkins.too_short (also ValueError)
    ├── NotAVideoError            checkins.not_video (also ValueError)
    └── EmptyMessageError         checkins.empty_message (also ValueError)
"""

from __future__ import annotations

from collis.lib.errors import DomainError


class CheckinError(DomainError):
    code = "checkins.error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConsentMissingError(CheckinError):
    code = "checkins.consent_missing"


class VideoTooShortError(CheckinError, ValueError):
    code = "checkins.too_short"


class NotAVideoError(CheckinError, ValueError):
    code = "checkins.not_video"


class EmptyMessageError(CheckinError, ValueError):
    code = "checkins.empty_message"
