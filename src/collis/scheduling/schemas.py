from datetime import date, datetime

from ninja import Field, Schema

from collis.lib.problems import Problem


class AppointmentTypeOut(Schema):
    slug: str = Field(examples=["toxin-injection"])
    name: str = Field(examples=["Botulinum-toxin injection"])
    description: str
    duration_minutes: int = Field(examples=[30])
    buffer_before_minutes: int
    buffer_after_minutes: int
    is_reinjection: bool
    clinicians: list[str] = Field(description="Slugs of the clinicians who offer it")


class BookableClinicianOut(Schema):
    slug: str = Field(examples=["dr-maya-okafor"])
    display_name: str
    appointment_types: list[str]
    locations: list[str]


class SlotOut(Schema):
    start: datetime = Field(examples=["2026-12-01T09:00:00-06:00"])
    end: datetime = Field(examples=["2026-12-01T09:30:00-06:00"])
    clinician: str = Field(examples=["dr-maya-okafor"])
    location: str = Field(examples=["downtown"])


class ContactIn(Schema):
    given_name: str = Field(min_length=1, max_length=100, examples=["Jordan"])
    family_name: str = Field(min_length=1, max_length=100, examples=["Rivera"])
    email: str = Field(
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254, examples=["jordan@example.com"]
    )
    phone: str = Field("", max_length=40)
    birth_date: date | None = Field(None, examples=["1980-04-02"])


class BookingIn(Schema):
    appointment_type: str = Field(examples=["injection-follow-up"])
    start: datetime = Field(
        description="ISO 8601 with an offset, as returned by the slots endpoint",
        examples=["2026-12-01T09:00:00-06:00"],
    )
    clinician: str | None = Field(None, description="Slug; omit for the first available")
    location: str | None = Field(None, description="Slug; omit for wherever the slot is")
    contact: ContactIn
    reason: str = Field("", max_length=500, examples=["new to the clinic with neck turning"])
    idempotency_key: str | None = Field(
        None,
        max_length=64,
        description="Send the same key again to retry safely: the booking is made once.",
    )


class AppointmentOut(Schema):
    uid: str = Field(examples=["5b0c8f3e-3f7a-4c61-9a57-2f1d6f1f4a21"])
    status: str = Field(examples=["confirmed"])
    appointment_type: str = Field(examples=["injection-follow-up"])
    clinician: str = Field(examples=["dr-maya-okafor"])
    location: str = Field(examples=["downtown"])
    start: datetime = Field(examples=["2026-12-01T09:00:00-06:00"])
    end: datetime = Field(examples=["2026-12-01T09:20:00-06:00"])
    sequence: int = Field(description="iCalendar SEQUENCE, raised on each change", examples=[0])
    manage_token: str = Field(description="Signed token for cancel and reschedule")
    warnings: list[str] = Field(
        default_factory=list,
        description=(
            "Advice for clinic staff booking on a patient's behalf, e.g. no valid prior "
            "authorisation for a toxin injection; always empty for patients and anonymous callers"
        ),
        examples=[["No prior authorisation is valid on 2026-12-01 for onabotulinumtoxinA."]],
    )


class RescheduleIn(Schema):
    start: datetime = Field(examples=["2026-12-02T10:00:00-06:00"])


class CancelIn(Schema):
    reason: str = Field("", max_length=500, examples=["feeling better, will call to rebook"])


class BookingProblem(Problem):
    """A booking error; when the slot was just taken (409), nearby free alternatives."""

    alternatives: list[SlotOut] | None = Field(
        None, description="Free slots near the one asked for (409 slot_taken only)"
    )
