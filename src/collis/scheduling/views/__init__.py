"""Scheduling pages, one module per audience; URLs import them from here."""

from collis.scheduling.views.booking import (
    book_choose,
    book_details,
    book_slots,
    book_start,
    book_waitlist,
)
from collis.scheduling.views.desk import (
    desk_appointment,
    desk_book,
    desk_calendar,
    desk_cancel,
    desk_feed,
    desk_move,
    desk_new_patient,
    desk_recall_action,
    desk_recalls,
    desk_status,
    desk_status_undo,
)
from collis.scheduling.views.links import (
    appointment_cancel,
    appointment_ics_download,
    appointment_manage,
    appointment_reschedule,
    clinician_feed,
)
from collis.scheduling.views.waitlist import desk_waitlist, desk_waitlist_offer, waitlist_offer

__all__ = [
    "appointment_cancel",
    "appointment_ics_download",
    "appointment_manage",
    "appointment_reschedule",
    "book_choose",
    "book_details",
    "book_slots",
    "book_start",
    "book_waitlist",
    "clinician_feed",
    "desk_appointment",
    "desk_book",
    "desk_calendar",
    "desk_cancel",
    "desk_feed",
    "desk_move",
    "desk_new_patient",
    "desk_recall_action",
    "desk_recalls",
    "desk_status",
    "desk_status_undo",
    "desk_waitlist",
    "desk_waitlist_offer",
    "waitlist_offer",
]
