"""The busy pages make a fixed number of queries, however much data they show (no N+1).

Each page is measured on the demo clinic (40 patients, ~440 appointments, injection cycles,
diaries), pinned with ``django_assert_max_num_queries`` a little above today's count, and
compared with the same page showing less (or more) data: the counts must be equal, so a query
per row fails here even before it breaks the pin.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from collis_testing import sign_in_with_second_factor
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collis.injections.models import InjectionSession
from collis.patients.models import Patient
from collis.providers.models import Clinician
from collis.scheduling import actions, availability
from collis.scheduling.errors import PatientBusyError, SchedulingError, SlotUnavailableError
from collis.scheduling.models import Appointment, AppointmentType

pytestmark = pytest.mark.django_db

# Room above today's counts for a small, deliberate addition; an N+1 over the demo data adds
# far more (10 to 40 queries).
SLACK = 3


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def test_clinician_patient_list(client, demo_data, clinician_user, django_assert_max_num_queries):
    """40 patients, some with a treating clinician, cost what one patient costs."""
    sign_in_with_second_factor(client, clinician_user)
    url = reverse("patients:patient-list")
    one = queries(client, f"{url}?q=DEMO-0001")
    with django_assert_max_num_queries(14 + SLACK):
        response = client.get(url)
    assert response.content.decode().count("/clinic/patients/") > 30
    assert queries(client, url) == one


def test_patient_chart_timeline(client, demo_data, clinician_user, django_assert_max_num_queries):
    """A chart with four injection cycles costs what one with three costs."""
    sign_in_with_second_factor(client, clinician_user)
    counts = dict(
        InjectionSession.objects.values_list("patient").annotate(n=Count("id")).order_by("-n")
    )
    fullest = max(counts, key=counts.__getitem__)
    fewer = next(pk for pk, n in counts.items() if 0 < n < counts[fullest])
    with django_assert_max_num_queries(35 + SLACK):
        client.get(reverse("patients:patient-detail", args=[fullest]))
    assert queries(client, reverse("patients:patient-detail", args=[fullest])) == queries(
        client, reverse("patients:patient-detail", args=[fewer])
    )


def test_desk_day_schedule(client, demo_data, front_desk, django_assert_max_num_queries):
    """The busiest day (at least 15 appointments) costs what a quiet day costs."""
    sign_in_with_second_factor(client, front_desk)
    _fill_a_day(15)  # the demo's busiest day holds 9-10, depending on the hour it was seeded
    days = list(
        Appointment.objects.exclude(status=Appointment.Status.CANCELLED)
        .values_list("start__date")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    busiest, quiet = days[0], days[-1]
    assert busiest[1] >= 15 and quiet[1] <= 3
    url = reverse("scheduling:desk-calendar")
    with django_assert_max_num_queries(18 + SLACK):
        client.get(f"{url}?date={busiest[0]}")
    assert queries(client, f"{url}?date={busiest[0]}") == queries(client, f"{url}?date={quiet[0]}")


def _book(kind: AppointmentType, slot, patient: Patient) -> Appointment:  # noqa: ANN001
    """Book ``patient`` into a free ``slot`` through the booking action."""
    return actions.book_appointment(
        appointment_type=kind,
        start=slot.start,
        clinician=Clinician.objects.get(pk=int(slot.clinician)),
        patient=patient,
        contact=actions.Contact(patient.given_name, patient.family_name, patient.email),
    )


def _fill_a_day(count: int) -> None:
    """Book demo patients into the free times of one day until it holds ``count`` more."""
    kind = AppointmentType.objects.filter(
        is_active=True, bookable_online=True, is_reinjection=False
    ).first()
    by_day: dict = {}
    for slot in availability.free_slots(kind, limit=400):
        by_day.setdefault(timezone.localtime(slot.start).date(), []).append(slot)
    day, slots = max(by_day.items(), key=lambda item: len(item[1]))
    patients = list(Patient.objects.order_by("pk"))
    booked = 0
    for slot in slots:
        for patient in patients:
            try:
                _book(kind, slot, patient)
            except SlotUnavailableError:
                break  # this time is gone: the next one
            except SchedulingError:
                continue  # this patient cannot take it (already booked then, say): the next one
            patients.remove(patient)
            booked += 1
            break
        if booked == count:
            return
    raise AssertionError(f"only {booked} of {count} free times booked on {day}")


def test_booking_slot_picker(client, demo_data, django_assert_max_num_queries):
    """A week full of free times across every clinician costs what a week far ahead costs."""
    kind = AppointmentType.objects.filter(is_active=True, bookable_online=True).first()
    url = f"{reverse('scheduling:book-slots')}?type={kind.slug}"
    with django_assert_max_num_queries(13 + SLACK):
        response = client.get(url)
    assert response.content.decode().count("/book/details/") > 20
    later = (timezone.localdate() + timedelta(days=70)).isoformat()
    assert queries(client, url) == queries(client, f"{url}&from={later}")


def test_portal_home(client, demo_data, django_assert_max_num_queries):
    """A patient's home page costs the same after two more bookings and diary entries."""
    me = Patient.objects.get(mrn="DEMO-0001")
    sign_in_with_second_factor(client, me.user)
    url = reverse("portal:home")
    with django_assert_max_num_queries(21 + SLACK):
        client.get(url)
    before = queries(client, url)
    kind = AppointmentType.objects.filter(
        is_active=True, bookable_online=True, is_reinjection=False
    ).first()
    # Two free times on different days when the patient has nothing else on (the demo clinic
    # books DEMO-0001 relative to today, so a clinician's free slot can overlap the patient's
    # own appointment with someone else).
    booked: list = []
    for slot in availability.free_slots(kind, limit=200):
        if booked and slot.start - booked[0].start <= timedelta(days=1):
            continue
        try:
            booked.append(_book(kind, slot, me))
        except PatientBusyError:
            continue
        if len(booked) == 2:
            break
    assert len(booked) == 2
    assert queries(client, url) == before
