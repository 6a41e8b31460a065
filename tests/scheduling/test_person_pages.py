"""What a person sees on the scheduling pages (issue #11): layout, clinic times, true messages."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.urls import reverse

from collis.accounts.testing import sign_in_with_second_factor
from collis.scheduling import actions
from collis.scheduling.links import manage_token
from collis.scheduling.models import Appointment

from .conftest import contact


def _book(clinic, hour=10, day=None, **extra):
    return actions.book_appointment(
        appointment_type=extra.pop("appointment_type", clinic.follow_up),
        start=clinic.at(day or clinic.monday, hour),
        clinician=extra.pop("clinician", clinic.okafor),
        contact=extra.pop("contact", contact()),
        **extra,
    )


def test_reschedule_page_is_one_page_in_the_site_layout(client, clinic):
    """Defect 1: one <html>, one form, days paged like the booking picker, small."""
    token = manage_token(_book(clinic))
    url = reverse("scheduling:appointment-reschedule", args=[token])
    response = client.get(url, {"from": clinic.monday})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<html") == 1 and page.count("<form method=\"post\"") == 1
    assert page.count("<h1") == 1 and "site-header" in page
    assert len(response.content) < 100_000
    new_start = clinic.at(clinic.monday, 14).astimezone(UTC).isoformat()
    assert f'value="{new_start}"' in page
    assert "Later days" in page
    # Today is the first page: no link to earlier days from it.
    assert "Earlier days" not in client.get(url).content.decode()
    assert "Earlier days" in page  # the Monday ahead is not the first page
