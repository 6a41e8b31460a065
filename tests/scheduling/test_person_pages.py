"""What a person sees on the scheduling pages (issue #11): layout, clinic times, true messages."""

from __future__ import annotations

from datetime import UTC

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
    assert page.count("<html") == 1 and page.count('<form method="post"') == 1
    assert page.count("<h1") == 1 and "site-header" in page
    assert len(response.content) < 100_000
    new_start = clinic.at(clinic.monday, 14).astimezone(UTC).isoformat()
    assert f'value="{new_start}"' in page
    assert "Later days" in page
    # Today is the first page: no link to earlier days from it.
    assert "Earlier days" not in client.get(url).content.decode()
    assert "Earlier days" in page  # the Monday ahead is not the first page


DESK_FORM = {"reason": "", "override_reason": ""}


def _desk_post(client, clinic, patient, hour, minute=0, day=None, **extra):
    return client.post(
        reverse("scheduling:desk-book"),
        {
            "patient": patient.pk,
            "appointment_type": clinic.follow_up.pk,
            "clinician": clinic.okafor.pk,
            "location": clinic.location.pk,
            "date": day or clinic.monday,
            "time": f"{hour:02d}:{minute:02d}",
            **DESK_FORM,
            **extra,
        },
        follow=True,
    )


def test_desk_confirmation_shows_the_clinic_time(client, clinic, front_desk, patient):
    """Defect 2: a 9:45 AM booking reads 9:45 AM, never the UTC wall time."""
    sign_in_with_second_factor(client, front_desk)
    page = _desk_post(client, clinic, patient, 9, 45).content.decode()
    day = clinic.monday
    assert f"{day:%A}, {day:%B} {day.day}, {day.year}, 9:45 AM" in page
    assert "15:45" not in page and "14:45" not in page
    assert str(Appointment.objects.get()).endswith("9:45 AM")
