"""A per-account ceiling on failed sign-ins, across addresses, with a growing backoff.

django-axes locks a username *and address* pair; an attacker with many addresses gets 5 tries
from each. Here every failure for a username counts, whatever its address: past
``ACCOUNT_FAILURE_CEILING`` failures within ``WINDOW_SECONDS``, sign-in to that account from
addresses it never signed in from is paused, for 1 minute, then 2, 4 ... at most 15 (no CAPTCHA,
never permanent), and the owner gets an email. Addresses the account signed in from before
(its successful sign-ins in the audit trail) keep working, so a distributed attack cannot lock
a clinic's staff out.

Counters live in the cache (Redis in production, shared by the workers).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 15 * 60
DEFAULT_CEILING = 20


def _now() -> float:
    return time.time()


def _ceiling() -> int:
    return int(getattr(settings, "ACCOUNT_FAILURE_CEILING", DEFAULT_CEILING))


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"collis.account-failures:{digest}"


def _state(username: str) -> dict:
    return cache.get(_key(username)) or {"fails": [], "level": 0, "until": 0.0}


def record_failure(username: str) -> bool:
    """Count one failed sign-in for ``username``; True if it started a backoff just now."""
    if not username:
        return False
    now = _now()
    state = _state(username)
    fails = [t for t in state["fails"] if t > now - WINDOW_SECONDS] + [now]
    started = False
    if len(fails) >= _ceiling() and now >= state["until"]:
        level = state["level"] + 1
        wait = min(BACKOFF_BASE_SECONDS * 2 ** (level - 1), BACKOFF_MAX_SECONDS)
        state = {"fails": [], "level": level, "until": now + wait}
        started = True
    else:
        state = {**state, "fails": fails}
    cache.set(_key(username), state, WINDOW_SECONDS + BACKOFF_MAX_SECONDS)
    return started


def _known_addresses(username: str) -> set[str]:
    from django.contrib.auth import get_user_model

    from collis.audit.models import AuditEvent

    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None:
        return set()
    rows = AuditEvent.objects.filter(
        actor=user, action=AuditEvent.Action.LOGIN, ip_address__isnull=False
    ).values_list("ip_address", flat=True)[:200]
    return set(rows)


def blocked_seconds(username: str, address: str | None) -> int:
    """Seconds before ``username`` may try again from ``address``; 0 if it may now."""
    if not username:
        return 0
    wait = _state(username)["until"] - _now()
    if wait <= 0 or (address and address in _known_addresses(username)):
        return 0
    return int(wait) + 1


def notify_owner(username: str) -> None:
    """Tell the account's owner that sign-in from new addresses is paused (no details leak)."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None or not user.email:
        return
    send_mail(
        subject="Many failed sign-ins to your Collis account",
        message=(
            "Someone tried many wrong passwords for your Collis account, from several places.\n"
            "Sign-in from places you have not used before is paused for a few minutes; from "
            "your usual devices it still works.\n\nIf this was not you, nothing got in. If you "
            "use this password elsewhere, change it there. If it keeps happening, tell the "
            "clinic's administrator.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )
