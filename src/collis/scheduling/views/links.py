"""Pages behind the emailed signed links: manage, cancel, reschedule, .ics; clinician feeds."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from collis.audit.actions import Action, record_access
from collis.scheduling import actions, availability
from collis.scheduling.access import (
    access_appointment_by_token,
    access_feed,
)
from collis.scheduling.errors import SchedulingError
from collis.scheduling.forms import (
    CancelForm,
)
from collis.scheduling.ics import appointment_ics, clinician_feed_ics
from collis.scheduling.links import manage_token
from collis.scheduling.models import Appointment, BookingPolicy
from collis.scheduling.views.slot_pages import DAYS_PER_PAGE, parse_start, slot_rows, week_from


def appointment_manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    policy = BookingPolicy.current()
    can_change = appointment.status in (
        Appointment.Status.REQUESTED,
        Appointment.Status.CONFIRMED,
    ) and appointment.start - timezone.now() >= timedelta(hours=policy.cancellation_window_hours)
    zone = availability.clinic_zone()
    return render(
        request,
        "scheduling/appointment_manage.html",
        {
            "appointment": appointment,
            "token": token,
            "just_booked": request.GET.get("booked") == "1",
            "local_start": appointment.start.astimezone(zone),
            "local_end": appointment.end.astimezone(zone),
            "can_change": can_change,
            "window_hours": policy.cancellation_window_hours,
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_appointment(
                appointment,
                reason=form.cleaned_data["reason"],
                by_patient=True,
                actor=request.user,
                request=request,
            )
        except SchedulingError as exc:
            messages.error(request, _(exc.user_message))
        else:
            messages.success(request, _("Your appointment is cancelled. We emailed you a note."))
        return redirect("scheduling:appointment-manage", token=token)
    return render(
        request,
        "scheduling/appointment_cancel.html",
        {
            "appointment": appointment,
            "token": token,
            "form": form,
            "local_start": appointment.start.astimezone(availability.clinic_zone()),
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    if request.method == "POST":
        new_start = parse_start(request.POST.get("start", ""))
        if new_start is None:
            messages.error(request, _("Please pick one of the times shown."))
        else:
            try:
                actions.reschedule_appointment(
                    appointment,
                    new_start=new_start,
                    by_patient=True,
                    actor=request.user,
                    request=request,
                )
            except SchedulingError as exc:
                messages.error(request, _(exc.user_message))
            else:
                messages.success(request, _("Your appointment has moved. We emailed the new time."))
                # Moving it retires every earlier link (links.manage_token): go on with the new one.
                appointment.refresh_from_db()
                return redirect("scheduling:appointment-manage", token=manage_token(appointment))
    first_day, since, until = week_from(request)
    zone = availability.clinic_zone()
    today = timezone.now().astimezone(zone).date()
    slots = availability.find_slots(
        appointment.appointment_type, clinicians=[appointment.clinician], since=since, until=until
    )
    days: OrderedDict[date, list[dict]] = OrderedDict()
    for row in slot_rows(slots):
        days.setdefault(row["local"].date(), []).append(row)
    return render(
        request,
        "scheduling/appointment_reschedule.html",
        {
            "appointment": appointment,
            "token": token,
            "days": days,
            "first_day": first_day,
            "last_day": first_day + timedelta(days=DAYS_PER_PAGE - 1),
            "local_start": appointment.start.astimezone(zone),
            "zone_name": str(zone),
            "next_query": urlencode({"from": first_day + timedelta(days=DAYS_PER_PAGE)}),
            "previous_query": (
                urlencode({"from": first_day - timedelta(days=DAYS_PER_PAGE)})
                if first_day > today
                else ""
            ),
        },
    )


def appointment_ics_download(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    response = HttpResponse(appointment_ics(appointment), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


def clinician_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = access_feed(token)
    since = timezone.now() - timedelta(days=30)
    appointments = (
        Appointment.objects.active()
        .filter(clinician=feed.clinician, start__gte=since)
        .select_related("appointment_type", "location", "clinician")
    )
    record_access(request, Action.EXPORT, feed, detail={"via": "calendar feed"})
    body = clinician_feed_ics(f"{feed.clinician.display_name} – Collis", appointments)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- front desk ---
