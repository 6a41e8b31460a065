"""Scheduling errors, each with a stable ``code`` and a message safe to show a patient.

SchedulingError
├── SlotUnavailableError        the time is not offered (outside hours, too soon, too far)
│   ├── SlotTakenError          another appointment has it (409 in the API)
│   ├── PastTimeError           the time has already passed (nobody books the past)
│   ├── NotAtLocationError      the clinician does not work at that location
│   └── ExistingPatientsOnlyError  the clinician takes no new patients
├── PatientBusyError            the patient already has an appointment then
├── ReinjectionTooEarlyError    before the minimum interval since the last toxin injection
├── OverrideReasonRequiredError a staff override without a recorded reason
├── InvalidTransitionError      e.g. completing a cancelled appointment
├── WaitlistWindowError         a waitlist window in the past or back to front
├── CancellationWindowClosedError  too close to the start to cancel or move online
├── InvalidLinkError            a tampered or stale signed link (404 to the user)
├── IdempotencyKeyReusedError   the caller's key was already used for another request (422)
└── WaitlistOfferError          a held waitlist offer expired, taken up, or not offerable
"""

from __future__ import annotations

from datetime import date
from typing import Any

from collis.lib.errors import DomainError

__all__ = [
    "CancellationWindowClosedError",
    "InvalidLinkError",
    "InvalidTransitionError",
    "OverrideReasonRequiredError",
    "PatientBusyError",
    "ReinjectionTooEarlyError",
    "SchedulingError",
    "SlotTakenError",
    "SlotUnavailableError",
    "WaitlistOfferError",
]


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
    """Another appointment holds the time: "just taken" only when it was booked moments ago.

    ``conflict_id`` names that appointment, so a page can tell a person resubmitting their own
    booking (Back, then Book again) that it is theirs.
    """

    code = "slot_taken"
    http_status = 409
    message = gettext_noop("Sorry, that time was just taken.")
    already_booked = "That time is already booked."

    def __init__(
        self,
        message: str | None = None,
        *,
        alternatives: list[Any] | None = None,
        conflict_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.alternatives = alternatives or []
        self.conflict_id = conflict_id


class PastTimeError(SlotUnavailableError):
    code = "time_past"
    message = "That time has already passed. Please pick a later time."


class NotAtLocationError(SlotUnavailableError):
    code = "not_at_location"
    message = "The clinician does not see patients at that location."


class ExistingPatientsOnlyError(SlotUnavailableError):
    code = "existing_patients_only"
    message = (
        "This clinician is seeing existing patients only. Please choose another clinician, "
        "or book a follow-up if you are already their patient."
    )


class PatientBusyError(SchedulingError, ValueError):
    code = "patient_busy"
    message = gettext_noop("This patient already has an appointment that overlaps this time.")


class ReinjectionTooEarlyError(SchedulingError, ValueError):
    code = "reinjection_too_early"

    def __init__(self, due_on: date) -> None:
        super().__init__(
            f"The next injection is due from {due_on:%B} {due_on.day}, {due_on.year}: "
            "the minimum interval since the last injection has not passed. "
            "Please pick a day from then, book a follow-up visit instead, or call the clinic "
            "if you think you need to be seen sooner.",
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


class WaitlistWindowError(SchedulingError, ValueError):
    code = "waitlist_window"
    message = "Choose dates from today on, with “Until” not before “From”."


class CancellationWindowClosedError(SchedulingError, ValueError):
    code = "cancellation_window_closed"
    http_status = 409
    message = gettext_noop(
        "It is too close to the appointment to change it online. Please call the clinic."
    )


class InvalidLinkError(SchedulingError, ValueError):
    code = "invalid_link"
    message = gettext_noop("This link is not valid. Please use the latest link we emailed you.")


class IdempotencyKeyReusedError(SchedulingError, ValueError):
    code = "idempotency_key_reused"
    message = (
        "This idempotency key was already used for a different booking. Send a new key for a "
        "new booking, or the same request to retry."
    )


class WaitlistOfferError(SchedulingError, ValueError):
    """An offer that can no longer be made or accepted (expired, taken up, entry not waiting)."""

    code = "waitlist_offer"
    message = "This offer is no longer open. The clinic can offer you another time."
