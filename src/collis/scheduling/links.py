"""Signed links in emails: manage (cancel/reschedule) an appointment, recall, waitlist offers.

``django.core.signing`` signs with SECRET_KEY and a salt per purpose, so a token made for one
purpose is useless for another and any change to it is detected.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse

from collis.lib.i18n import with_language
from collis.scheduling.errors import InvalidLinkError

if TYPE_CHECKING:
    from collis.scheduling.models import Appointment

MANAGE_SALT = "collis.scheduling.manage"
PATIENT_SALT = "collis.scheduling.patient"
# A recall or waitlist link identifies the patient for a booking; it goes stale after 60 days.
PATIENT_LINK_MAX_AGE = 60 * 24 * 3600


# A manage link works until this long after the appointment ends (the day's directions, the
# calendar file); after that it answers like a bad link.
MANAGE_LINK_GRACE = timedelta(hours=12)


def manage_token(appointment: Appointment) -> str:
    """The signed link for one version of an appointment: its time and change count.

    Moving the appointment changes both, so every earlier link stops working; cancelling
    raises the change count by one and the link of the cancelled version still shows it.
    """
    return signing.dumps(
        {
            "a": appointment.pk,
            "u": str(appointment.uid),
            "t": int(appointment.start.timestamp()),
            "s": appointment.sequence,
        },
        salt=MANAGE_SALT,
    )


def appointment_id_from_token(token: str) -> tuple[int, str]:
    """Return (appointment id, uid) from a manage token, or raise InvalidLinkError."""
    data = _manage_payload(token)
    return data[0], data[1]


def _manage_payload(token: str) -> tuple[int, str, int, int]:
    try:
        data = signing.loads(token, salt=MANAGE_SALT)
        return int(data["a"]), str(data["u"]), int(data["t"]), int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidLinkError() from exc


def check_manage_token(token: str, appointment: Appointment, now: datetime) -> None:
    """Raise InvalidLinkError unless ``token`` is the live link of ``appointment`` now."""
    appointment_id, uid, start, sequence = _manage_payload(token)
    cancelled_since = appointment.status == "cancelled" and sequence == appointment.sequence - 1
    if (
        appointment_id != appointment.pk
        or uid != str(appointment.uid)
        or start != int(appointment.start.timestamp())
        or not (sequence == appointment.sequence or cancelled_since)
        or now > appointment.end + MANAGE_LINK_GRACE
    ):
        raise InvalidLinkError()


def manage_url(appointment: Appointment, language: str | None = None) -> str:
    """The emailed link; with ``language`` ("es") it opens the pages in that language."""
    path = reverse("scheduling:appointment-manage", kwargs={"token": manage_token(appointment)})
    return with_language(settings.SITE_URL + path, language)


def patient_token(patient_id: int, purpose: str, offered_start: datetime | None = None) -> str:
    payload: dict[str, object] = {"p": patient_id, "why": purpose}
    if offered_start is not None:
        payload["s"] = offered_start.isoformat()
    return signing.dumps(payload, salt=PATIENT_SALT)


def patient_from_token(token: str) -> dict:
    """Return the payload of a recall or waitlist link, or raise InvalidLinkError."""
    try:
        data = signing.loads(token, salt=PATIENT_SALT, max_age=PATIENT_LINK_MAX_AGE)
        int(data["p"])
        return data
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidLinkError() from exc
