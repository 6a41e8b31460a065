"""Errors of posture recordings; each message can be shown to the clinician as it is.

Tree::

    RecordingError                    code "recordings.*"
    ├── ConsentRequiredError          recordings.consent_required (also ValueError)
    ├── PictureTooSmallError          recordings.too_small (also ValueError)
    ├── OriginalDeletedError          recordings.original_deleted
    ├── NotRetryableError             recordings.not_retryable
    └── NotAnalysedError              recordings.not_analysed

Upload checks of the bytes themselves raise ``collis.lib.uploads.UploadError`` subclasses.
"""

from __future__ import annotations

from collis.lib.errors import DomainError


class RecordingError(DomainError):
    code = "recordings.error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConsentRequiredError(RecordingError, ValueError):
    code = "recordings.consent_required"


class PictureTooSmallError(RecordingError, ValueError):
    code = "recordings.too_small"


class OriginalDeletedError(RecordingError):
    code = "recordings.original_deleted"


class NotRetryableError(RecordingError):
    code = "recordings.not_retryable"


class NotAnalysedError(RecordingError):
    code = "recordings.not_analysed"
