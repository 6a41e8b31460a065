"""Issue #20: an email job run twice (its worker died after sending) sends one email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from collis.jobs.models import OutboxEmail
from collis.jobs.outbox import message_id, send_once


def _message() -> EmailMessage:
    return EmailMessage("Your appointment", "See you", "clinic@example.org", ["pat@example.com"])


@pytest.mark.django_db
def test_same_key_sends_once():
    assert send_once("appointment:1:confirmation", _message()) is True
    assert send_once("appointment:1:confirmation", _message()) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id("appointment:1:confirmation")
    row = OutboxEmail.objects.get()
    assert row.sent_at is not None and row.to == "pat@example.com"


@pytest.mark.django_db
def test_a_failed_send_is_released_for_the_next_attempt(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 6392, 1
    with pytest.raises(OSError):
        send_once("k", _message())
    assert OutboxEmail.objects.get(key="k").claimed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_once("k", _message()) is True
