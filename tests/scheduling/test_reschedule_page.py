"""The patient's reschedule page is one page in the site's layout, with one form."""

from __future__ import annotations

from django.urls import reverse

from collis.scheduling import actions
from collis.scheduling.links import manage_token

from .conftest import contact


def test_reschedule_page_has_one_form_inside_the_site_layout(client, clinic):
    appointment = actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    page = client.get(
        reverse("scheduling:appointment-reschedule", args=[manage_token(appointment)]),
        {"from": clinic.monday},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<form method="post">') == 1
    assert "<title>" in html and "<h1>" in html
