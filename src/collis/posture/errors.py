"""Errors raised by posture analysis.

Tree::

    PostureError                      base; never raised itself
    ├── UnreadableInputError          code "unreadable", CLI exit 2 (also a ValueError)
    │   └── OrientationError          code "orientation": picture on its side or upside down
    └── NoFaceError                   code "no_face", CLI exit 3
"""

from __future__ import annotations


class PostureError(Exception):
    """Base of every error this package raises on purpose.

    ``code`` is stable (the web layer maps it to a message); ``exit_status`` is the CLI's.
    """

    code = "posture_error"
    exit_status = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnreadableInputError(PostureError, ValueError):
    """The file is not an image or video this package can decode, or is unsafe to decode."""

    code = "unreadable"
    exit_status = 2


class NoFaceError(PostureError):
    """No frame of the input contained a detectable face."""

    code = "no_face"
    exit_status = 3


class OrientationError(UnreadableInputError):
    """The picture is on its side or upside down (e.g. a portrait clip without rotation data).

    Refused rather than measured: a quarter turn swaps laterocollis for ±90° and an upside-down
    face gives a meaningless mesh (issue #14). CLI exit 2, like other unusable input.
    """

    code = "orientation"
