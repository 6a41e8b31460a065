"""The staff waitlist page (offer a freed time, held for one patient) and the patient's accept
page (the link in the offer email)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from collis.audit.actions import Action, record_access
from collis.scheduling import actions, availability
from collis.scheduling.access import require_schedule_staff
from collis.scheduling.errors import SchedulingError, SlotTakenError
from collis.scheduling.forms import OfferSlotForm, WaitlistFilterForm
from collis.scheduling.links import manage_token
from collis.scheduling.models import SlotHold, WaitlistEntry
from collis.scheduling.views.desk import free_slot_rows
from collis.scheduling.views.slot_pages import slot_rows

OPEN = [WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]


def _entries(filters: WaitlistFilterForm):
    now = timezone.now()
    entries = (
        WaitlistEntry.objects.select_related("patient", "appointment_type", "clinician")
        .prefetch_related(
            Prefetch(
                "holds",
                queryset=SlotHold.objects.filter(
                    status=SlotHold.Status.HELD, expires_at__gt=now
                ).select_related("clinician", "location"),
                to_attr="live_holds",
            )
        )
        .order_by("earliest", "created_at")
    )
    data = filters.cleaned_data if filters.is_valid() else {}
    status = data.get("status") or "open"
    entries = entries.filter(status__in=OPEN) if status == "open" else entries.filter(status=status)
    if data.get("appointment_type"):
        entries = entries.filter(appointment_type=data["appointment_type"])
    if data.get("clinician"):
        # An entry for "anyone" can take a time with this clinician too.
        entries = entries.filter(Q(clinician=data["clinician"]) | Q(clinician__isnull=True))
    if data.get("day"):
        entries = entries.filter(earliest__lte=data["day"], latest__gte=data["day"])
    return entries[:200]


def _offer_link(entry: WaitlistEntry, keep: dict[str, str]):
    def link(row: dict) -> str:
        local = row["local"]
        query = {
            **keep,
            "offer": entry.pk,
            "clinician": row["clinician"].pk,
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
        }
        if row["location"] is not None:
            query["location"] = row["location"].pk
        return f"{reverse('scheduling:desk-waitlist')}?{urlencode(query)}#offer-h"

    return link


@login_required
def desk_waitlist(request: HttpRequest) -> HttpResponse:
    """Entries by visit type, clinician and window; pick one to offer it a free time."""
    require_schedule_staff(request.user)
    filters = WaitlistFilterForm(request.GET or None)
    entries = list(_entries(filters))
    record_access(request, Action.READ, object_type="scheduling.WaitlistEntry", detail={})
    offering = None
    free_times: list[dict] = []
    offer_form = None
    keep = {k: v for k, v in request.GET.items() if k in ("appointment_type", "status", "day")}
    picked = request.GET.get("offer", "")
    if picked.isdigit():
        offering = (
            WaitlistEntry.objects.select_related("patient", "appointment_type", "clinician")
            .filter(pk=int(picked), status__in=OPEN)
            .first()
        )
    if offering is not None:
        initial = {
            "clinician": request.GET.get("clinician") or offering.clinician_id,
            "date": request.GET.get("date") or offering.earliest.isoformat(),
            "time": request.GET.get("time", ""),
            "location": request.GET.get("location", ""),
        }
        params = {k: str(v) for k, v in initial.items() if v}
        free_times = free_slot_rows(
            offering.appointment_type,
            params,
            _offer_link(offering, keep),
            owner=offering.patient_id,
        )
        offer_form = OfferSlotForm(initial=initial)
    return render(
        request,
        "scheduling/desk_waitlist.html",
        {
            "filters": filters if request.GET else WaitlistFilterForm(),
            "entries": entries,
            "offering": offering,
            "free_times": free_times,
            "offer_form": offer_form,
            "keep": keep,
            "hold_hours": settings.WAITLIST_HOLD_HOURS,
        },
    )


@login_required
@require_POST
def desk_waitlist_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Hold the chosen time for this entry's patient and email them the link to take it."""
    require_schedule_staff(request.user)
    entry = WaitlistEntry.objects.filter(pk=pk, status__in=OPEN).first()
    if entry is None:
        raise Http404("No such waitlist entry.")
    form = OfferSlotForm(request.POST)
    back = f"{reverse('scheduling:desk-waitlist')}?{urlencode({'offer': entry.pk})}"
    if not form.is_valid():
        messages.error(request, "Choose a clinician, a day and a time to offer.")
        return redirect(back)
    data = form.cleaned_data
    try:
        hold = actions.offer_waitlist_slot(
            entry=entry,
            start=form.local_start(),
            clinician=data["clinician"],
            location=data["location"],
            actor=request.user,
            request=request,
        )
    except SchedulingError as exc:
        text = str(exc)
        if isinstance(exc, SlotTakenError) and exc.alternatives:
            nearest = slot_rows(exc.alternatives[:1])[0]["local"]
            text += f" The nearest free time is {nearest:%a %b} {nearest.day}, {nearest:%H:%M}."
        messages.error(request, text)
        return redirect(back)
    until = hold.expires_at.astimezone(availability.clinic_zone())
    messages.success(
        request,
        f"Offered to {entry.patient.full_name}; the time is held until "
        f"{until:%a %b} {until.day}, {until:%H:%M}.",
    )
    return redirect("scheduling:desk-waitlist")


@require_http_methods(["GET", "POST"])
def waitlist_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The patient's page for a held time: the link in the offer email is the credential."""
    hold = (
        SlotHold.objects.select_related("patient", "appointment_type", "clinician", "location")
        .filter(token=token)
        .first()
    )
    problem = None
    if request.method == "POST" and hold is not None:
        try:
            appointment = actions.accept_waitlist_offer(token=token, request=request)
        except SchedulingError as exc:
            problem = exc
        else:
            return redirect("scheduling:appointment-manage", token=manage_token(appointment))
    now = timezone.now()
    is_open = hold is not None and hold.status == SlotHold.Status.HELD and hold.expires_at > now
    zone = availability.clinic_zone()
    return render(
        request,
        "scheduling/waitlist_offer.html",
        {
            "hold": hold if is_open else None,
            "local": hold.start.astimezone(zone) if is_open else None,
            "until": hold.expires_at.astimezone(zone) if is_open else None,
            "problem": problem,
        },
    )
