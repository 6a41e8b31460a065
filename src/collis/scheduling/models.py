"""Availability, appointment types, appointments, recall, waitlist, reminders and feeds."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from collis.lib.clinic_time import friendly
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]

# The usual minimum interval between botulinum-toxin sessions for cervical dystonia: 12 weeks
# (Dysport and US Xeomin labels "≥12 wk", clinical.md §3; pivotal-trial design, §4).
DEFAULT_REINJECTION_INTERVAL_DAYS = 84


class BookingPolicy(models.Model):
    """Clinic-wide booking settings (one row; defaults apply until an administrator edits it)."""

    auto_confirm = models.BooleanField(
        default=True,
        help_text="Confirm online bookings at once; if off they wait as requests for staff.",
    )
    min_notice_hours = models.PositiveIntegerField(default=12)
    horizon_days = models.PositiveIntegerField(default=120)
    granularity_minutes = models.PositiveIntegerField(default=15)
    cancellation_window_hours = models.PositiveIntegerField(
        default=24, help_text="Patients may cancel or move online until this long before."
    )
    reminder_hours = models.CharField(
        max_length=50, default="72,24", help_text="Hours before the appointment, comma-separated."
    )
    recall_lead_days = models.PositiveIntegerField(
        default=14, help_text="Send the re-injection recall this many days before it is due."
    )

    class Meta:
        verbose_name_plural = "booking policy"

    def __str__(self) -> str:
        return "Booking policy"

    @classmethod
    def current(cls) -> BookingPolicy:
        return cls.objects.order_by("pk").first() or cls()

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted({int(h) for h in self.reminder_hours.split(",") if h.strip()}, reverse=True)


class AppointmentType(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveIntegerField()
    buffer_before_minutes = models.PositiveIntegerField(default=0)
    buffer_after_minutes = models.PositiveIntegerField(default=0)
    is_reinjection = models.BooleanField(
        default=False,
        help_text="A botulinum-toxin injection: refused before the minimum interval.",
    )
    bookable_online = models.BooleanField(default=True)
    for_new_patients = models.BooleanField(
        default=False,
        help_text="A first visit: not offered online with clinicians closed to new patients.",
    )
    is_active = models.BooleanField(default=True)
    clinicians = models.ManyToManyField(Clinician, related_name="appointment_types", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="type_has_duration")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class WeeklyHours(models.Model):
    """When a clinician sees patients, and where, each week (clinic wall-clock time)."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="weekly_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["clinician", "weekday", "start"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="hours_end_after")
        ]

    def __str__(self) -> str:
        return f"{self.clinician} {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class WeeklyBreak(models.Model):
    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="breaks")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["clinician", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="break_end_after")
        ]

    def __str__(self) -> str:
        return f"Break {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class DateOverride(models.Model):
    """Hours on one date that replace the weekly ones; no times means the clinician is off."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True)
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start__isnull=True, end__isnull=True))
                | Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="override_times_valid",
            )
        ]

    def __str__(self) -> str:
        if self.start is None:
            return f"{self.clinician} off on {self.date}"
        return f"{self.clinician} {self.date} {self.start:%H:%M}–{self.end:%H:%M}"


class TimeOff(models.Model):
    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="time_off_end_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.clinician} off {friendly(self.starts_at)} – {friendly(self.ends_at)}"


class ClinicClosure(models.Model):
    """A day the whole clinic is closed (holiday, training day)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


class AppointmentQuerySet(models.QuerySet):
    def active(self) -> AppointmentQuerySet:
        return self.filter(status__in=Appointment.ACTIVE_STATUSES)


class Appointment(models.Model):
    """One booked visit. ``blocked_*`` include the type's buffers and never overlap per clinician.

    On PostgreSQL an exclusion constraint (migration 0002) enforces that for active statuses.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        ARRIVED = "arrived", _("Arrived")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    class Source(models.TextChoices):
        ONLINE = "online", "Online"
        STAFF = "staff", "Front desk"
        API = "api", "API"

    # Statuses that hold the clinician's time; keep in step with the PostgreSQL constraint.
    ACTIVE_STATUSES = ("requested", "confirmed", "arrived", "completed")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="appointments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT)
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    reason = models.CharField("reason for visit", max_length=500, blank=True)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=40, blank=True)
    override_reason = models.CharField(max_length=500, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    # The caller's key, bound to the caller (SHA-256 of caller + key), and a hash of the request
    # body it was sent with: another caller's key is a different key, and the same key with a
    # different body is refused (scheduling.actions.book_appointment).
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["clinician", "blocked_start"]),
            models.Index(fields=["start"]),
            models.Index(fields=["patient", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="appt_end_after"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=models.F("start"))
                & Q(blocked_end__gte=models.F("end")),
                name="appt_blocked_covers_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} with {self.clinician} on {friendly(self.start)}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def patient_initials(self) -> str:
        words = self.contact_name.split()
        return "".join(w[0].upper() for w in words[:1] + words[-1:] if w) or "?"


class ReminderDelivery(models.Model):
    """One reminder of one kind for one appointment: the unique pair makes it exactly once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (appointment cancelled or moved)"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, help_text="e.g. 72h, 24h")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for #{self.appointment_id}: {self.status}"


class InjectionRecall(models.Model):
    """When a patient is next due for botulinum toxin, from their latest injection."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="recall")
    last_injected_on = models.DateField()
    min_interval_days = models.PositiveIntegerField(default=DEFAULT_REINJECTION_INTERVAL_DAYS)
    product_name = models.CharField(max_length=100, blank=True)
    due_on = models.DateField(db_index=True)
    recall_sent_for = models.DateField(
        null=True, blank=True, help_text="The due date the last recall email was sent for."
    )
    snoozed_until = models.DateField(
        null=True, blank=True, help_text="Left off the recall list until this day."
    )
    snooze_reason = models.CharField(max_length=300, blank=True)
    unreachable_since = models.DateTimeField(
        null=True, blank=True, help_text="The desk could not reach the patient; off the list."
    )
    unreachable_note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("last_injected_on")), name="recall_due_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} due {self.due_on}"


class WaitlistEntry(models.Model):
    """A patient who would take an earlier slot if one frees up."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered a slot"
        BOOKED = "booked", "Booked"
        WITHDRAWN = "withdrawn", "Withdrawn"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="waitlist")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.CASCADE)
    clinician = models.ForeignKey(
        Clinician, on_delete=models.CASCADE, null=True, blank=True, help_text="Empty: anyone."
    )
    earliest = models.DateField()
    latest = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    offered_start = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.CheckConstraint(condition=Q(latest__gte=models.F("earliest")), name="wait_range")
        ]

    def __str__(self) -> str:
        return f"{self.patient} waiting for {self.appointment_type}"


def _hold_token() -> str:
    return secrets.token_urlsafe(32)


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A clinician's private iCalendar feed. Rotating the token revokes the old URL."""

    clinician = models.OneToOneField(Clinician, on_delete=models.CASCADE, related_name="feed")
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    is_active = models.BooleanField(default=True)
    rotated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feed for {self.clinician}"


class SlotHold(models.Model):
    """A freed time offered to one waitlisted patient and kept for them until ``expires_at``.

    While ``status`` is held and the hold has not expired, ``placement.place`` refuses the time
    to everyone else (online and desk); an expired hold simply stops counting (checked lazily)
    and the periodic ``scheduling.expire_waitlist_offers`` job records it as expired.
    """

    class Status(models.TextChoices):
        HELD = "held", "Held"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="holds")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.CASCADE)
    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="holds")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    token = models.CharField(max_length=64, unique=True, default=_hold_token)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinician", "status", "blocked_start"])]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} held for {self.patient}"
