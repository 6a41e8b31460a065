"""Send each email at most once per idempotency key, however often its job runs.

A job that sends an email and then dies before recording "done" is run again; without this the
patient gets the confirmation twice. ``send_once(key, message)``:

1. records the key (a unique row), if new;
2. claims it with a conditional UPDATE (no lock is held while SMTP talks, so SQLite writers are
   not blocked by a slow mail server); a claim older than ``CLAIM_SECONDS`` is presumed dead;
3. sends, then marks the row sent.

What no outbox can remove: a process killed *between* the SMTP server accepting the message and
step 3 sends it again on the next run. For that case every message carries a ``Message-ID``
derived from the key, so the same email arrives with the same id and mail clients and servers
that deduplicate on it show it once.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from collis.jobs.models import OutboxEmail

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300


def message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "collis.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def send_once(key: str, message: EmailMessage) -> bool:
    """Send ``message`` unless an email with ``key`` was sent (or is being sent); True if sent.

    Raises what the mail backend raises; the claim is then released for the next attempt.
    """
    try:
        with transaction.atomic():
            OutboxEmail.objects.get_or_create(
                key=key,
                defaults={"to": ", ".join(message.to)[:254], "subject": message.subject[:200]},
            )
    except IntegrityError:  # created by a concurrent sender between our read and insert
        pass
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        OutboxEmail.objects.filter(key=key, sent_at__isnull=True)
        .filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(seconds=CLAIM_SECONDS))
        )
        .update(claim_token=token, claimed_at=now)
    )
    if not claimed:
        logger.info("email %s already sent or being sent: not sending it again", key)
        return False
    message.extra_headers = {**message.extra_headers, "Message-ID": message_id(key)}
    try:
        message.send()
    except Exception:
        OutboxEmail.objects.filter(key=key, claim_token=token).update(
            claimed_at=None, claim_token=""
        )
        raise
    OutboxEmail.objects.filter(key=key, claim_token=token).update(sent_at=timezone.now())
    return True
