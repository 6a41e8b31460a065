"""A clinician's private iCalendar feed: create it, or rotate its secret URL."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.http import HttpRequest

from collis.audit.actions import Action, record_access
from collis.providers.models import Clinician
from collis.scheduling.actions.placement import User
from collis.scheduling.models import CalendarFeed

__all__ = ["ensure_calendar_feed", "rotate_calendar_feed"]


def ensure_calendar_feed(clinician: Clinician) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(clinician=clinician)
    return feed


def rotate_calendar_feed(
    clinician: Clinician, *, actor: User = None, request: HttpRequest | None = None
) -> CalendarFeed:
    """Give the clinician a new private feed URL; the old one stops working at once."""
    with transaction.atomic():
        feed = ensure_calendar_feed(clinician)
        feed.token = secrets.token_urlsafe(32)
        feed.is_active = True
        feed.save()
        record_access(request, Action.UPDATE, feed, user=actor, detail={"change": "feed rotated"})
    return feed
