"""Every write of the scheduling app. Views, the API, admin, jobs and commands call these.

- ``booking``: book an appointment (``Contact``, ``book_appointment``);
- ``changes``: cancel, reschedule, status changes (``TRANSITIONS``);
- ``placement``: the step booking and rescheduling share (``place``, ``admit_patient``);
- ``injection_recall``: when a patient is due for toxin again (``record_injection_cycle``);
- ``recall_emails``: the recall letter, from the desk or the nightly job (``send_recall_now``);
- ``waitlist_offers``: a freed time held for one waitlisted patient (``offer_waitlist_slot``);
- ``freed_slots``: a cancelled or moved time offered to the waitlist (``offer_freed_slot``);
- ``reminders``: appointment reminders, once each (``send_due_reminders``);
- ``waitlist_entries``, ``calendar_feeds``, ``mail`` (emails queued after commit).

Import from here (``from collis.scheduling import actions``); the modules import downward only:
``placement`` and ``mail`` at the bottom.
"""

from collis.scheduling.actions.booking import Contact, book_appointment
from collis.scheduling.actions.calendar_feeds import ensure_calendar_feed, rotate_calendar_feed
from collis.scheduling.actions.changes import (
    ON_THE_DAY,
    TRANSITIONS,
    UNDO,
    allowed_statuses,
    cancel_appointment,
    reschedule_appointment,
    set_appointment_status,
    undo_appointment_status,
)
from collis.scheduling.actions.freed_slots import offer_freed_slot
from collis.scheduling.actions.injection_recall import (
    mark_recall_unreachable,
    record_injection_cycle,
    snooze_recall,
)
from collis.scheduling.actions.placement import (
    ALTERNATIVES,
    check_bookable_time,
    check_reinjection_interval,
)
from collis.scheduling.actions.recall_emails import send_recall_emails, send_recall_now
from collis.scheduling.actions.reminders import send_due_reminders
from collis.scheduling.actions.waitlist_entries import join_waitlist, join_waitlist_online
from collis.scheduling.actions.waitlist_offers import (
    accept_waitlist_offer,
    expire_waitlist_offers,
    offer_waitlist_slot,
)

__all__ = [
    "ALTERNATIVES",
    "ON_THE_DAY",
    "TRANSITIONS",
    "UNDO",
    "Contact",
    "accept_waitlist_offer",
    "allowed_statuses",
    "book_appointment",
    "cancel_appointment",
    "check_bookable_time",
    "check_reinjection_interval",
    "ensure_calendar_feed",
    "expire_waitlist_offers",
    "join_waitlist",
    "join_waitlist_online",
    "mark_recall_unreachable",
    "offer_freed_slot",
    "offer_waitlist_slot",
    "record_injection_cycle",
    "reschedule_appointment",
    "rotate_calendar_feed",
    "send_due_reminders",
    "send_recall_emails",
    "send_recall_now",
    "set_appointment_status",
    "snooze_recall",
    "undo_appointment_status",
]
