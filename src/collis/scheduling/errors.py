"""Scheduling errors, each with a stable ``code`` and a message safe to show a patient.

SchedulingError
├── SlotUnavailableError        the time is not offered (outside hours, too soon, too far)
│   └── SlotTakenError          someone booked it first (409 in the API)
├── PatientBusyError            the patient already has an appointment then
├── ReinjectionTooEarlyError    before the minimum interval since the last toxin injection
├── OverrideReasonRequiredError a staff override without a recorded reason
├── InvalidTransitionError      e.g. completing a cancelled appointment
├── CancellationWindowClosedError  too close to the start to cancel or move online
└── InvalidLinkError            a tampered or stale signed link (404 to the user)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from collis.lib.errors import DomainError


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (makemessages); views translate it."""
    return message


class SchedulingError(DomainError):
    code = "scheduling_error"
    message = gettext_noop("The appointment could not be booked.")
    http_status = 422

    def __init__(self, message: str | None = None, **data: Any) -> None:
        super().__init__(message or self.message)
        self.data = data


class SlotUnavailableError(SchedulingError, ValueError):
    code = "slot_unavailable"
    message = gettext_noop("That time is not available for booking.")


class SlotTakenError(SlotUnavailableError):
    code = "slot_taken"
    http_status = 409
    message = gettext_noop("Sorry, that time was just taken.")

    def __init__(self, message: str | None = None, *, alternatives: list | None = None) -> None:
        super().__init__(message)
        self.alternatives = alternatives or []


class PatientBusyError(SchedulingError, ValueError):
    code = "patient_busy"
    message = gettext_noop("This patient already has an appointment that overlaps this time.")


class ReinjectionTooEarlyError(SchedulingError, ValueError):
    code = "reinjection_too_early"

    def __init__(self, due_on: date) -> None:
        super().__init__(
            f"The next injection is due from {due_on:%B} {due_on.day}, {due_on.year}: "
            "the minimum interval since the last injection has not passed. "
            "A clinician can override this with a reason.",
            due_on=due_on,
        )
        self.due_on = due_on


class OverrideReasonRequiredError(SchedulingError, ValueError):
    code = "override_reason_required"
    message = gettext_noop("Give a reason to book outside the usual rules.")


class InvalidTransitionError(SchedulingError, ValueError):
    code = "invalid_transition"
    http_status = 409
    message = gettext_noop("The appointment cannot change to that status.")


class CancellationWindowClosedError(SchedulingError, ValueError):
    code = "cancellation_window_closed"
    http_status = 409
    message = gettext_noop(
        "It is too close to the appointment to change it online. Please call the clinic."
    )


class InvalidLinkError(SchedulingError, ValueError):
    code = "invalid_link"
    message = gettext_noop("This link is not valid. Please use the latest link we emailed you.")
