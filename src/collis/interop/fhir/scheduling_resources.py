"""FHIR types of scheduling: Schedule and Slot (computed, not stored) and Appointment (read,
search and create from a free Slot through ``scheduling.actions.book_appointment``, so the same
no-double-booking guarantee holds as for every other way of booking).

Ids: a Schedule is one clinician at one location (``<clinician>-<location>``); a free Slot is
``<clinician>-<appointment type>-<location>-<UTC start yyyymmddThhmm>``, which names everything
needed to re-check and book it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from pydantic import ValidationError

from collis.interop.fhir import codes, mappers
from collis.interop.fhir.access import (
    FhirClient,
    FhirForbiddenError,
    is_staff,
    own_patient_id,
    require_reader,
)
from collis.interop.fhir.errors import (
    ConflictError,
    InvalidResourceError,
    SearchError,
    UnprocessableError,
)
from collis.interop.fhir.resources import (
    REGISTRY,
    ResourceType,
    SearchParam,
    VirtualSource,
    date_param,
    register,
)
from collis.interop.fhir.search import (
    Bounds,
    NoMatch,
    date_bounds,
    numeric_reference,
    reference_id,
    token_code,
)
from collis.lib.inputs import parse_id
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import actions, availability
from collis.scheduling import slots as core
from collis.scheduling.errors import SchedulingError, SlotTakenError
from collis.scheduling.models import Appointment, AppointmentType, BookingPolicy, WeeklyHours

# A Slot search without an upper date bound looks this far ahead, and returns at most this many
# slots (the Bundle's total is then the number found within those limits).
SLOT_WINDOW = timedelta(days=31)
MAX_SLOTS = 200
WEEKDAY_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
SLOT_ID = re.compile(r"^(\d+)-(\d+)-(\d+)-(\d{8}T\d{4})$")
SCHEDULE_ID = re.compile(r"^(\d+)-(\d+)$")
STATUS_FROM_FHIR = {fhir: ours for ours, fhir in mappers.APPOINTMENT_STATUS.items()}
APPOINTMENT_STATUS_SYSTEM = "http://hl7.org/fhir/appointmentstatus"
SLOT_STATUS_SYSTEM = "http://hl7.org/fhir/slotstatus"


def _code(value: str, system: str | None) -> str | None:
    """The code a token names in ``system`` (None: any code); "" when it cannot match."""
    try:
        return token_code(value, system)
    except NoMatch:
        return ""


def _bookable_types() -> QuerySet:
    return AppointmentType.objects.filter(is_active=True, bookable_online=True)


# --- Schedule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    clinician: Clinician
    location: Location
    hours: str
    types: tuple[tuple[str, str], ...]  # (slug, name) of the types this clinician offers

    @property
    def fhir_id(self) -> str:
        return f"{self.clinician.pk}-{self.location.pk}"


def _schedules(
    clinician_id: int | None = None, location_id: int | None = None
) -> list[ScheduleRow]:
    hours = WeeklyHours.objects.select_related("clinician", "location").order_by(
        "clinician_id", "location_id", "weekday", "start"
    )
    if clinician_id is not None:
        hours = hours.filter(clinician_id=clinician_id)
    if location_id is not None:
        hours = hours.filter(location_id=location_id)
    windows: dict[tuple[int, int], list[WeeklyHours]] = defaultdict(list)
    for row in hours:
        windows[(row.clinician_id, row.location_id)].append(row)
    offered: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for kind in _bookable_types().prefetch_related("clinicians"):
        for clinician in kind.clinicians.all():
            offered[clinician.pk].append((kind.slug, kind.name))
    return [
        ScheduleRow(
            clinician=rows[0].clinician,
            location=rows[0].location,
            hours="; ".join(
                f"{WEEKDAY_ABBR[r.weekday]} {r.start:%H:%M}-{r.end:%H:%M}" for r in rows
            ),
            types=tuple(offered[clinician_id]),
        )
        for (clinician_id, _), rows in windows.items()
    ]


def _find_schedules(params: dict[str, list[str]]) -> list[ScheduleRow]:
    rows = _schedules()
    for value in params.get("actor", []):
        kind = value.rstrip("/").split("/")[-2] if "/" in value else ""
        if kind == "Practitioner":
            pk = numeric_reference(value, "Practitioner")
            rows = [r for r in rows if r.clinician.pk == pk]
        elif kind == "Location":
            pk = numeric_reference(value, "Location")
            rows = [r for r in rows if r.location.pk == pk]
        else:
            raise SearchError("actor must be Practitioner/<id> or Location/<id>")
    for value in params.get("service-type", []):
        code = _code(value, codes.APPOINTMENT_TYPE_SYSTEM)
        rows = [r for r in rows if code is None or code in {slug for slug, _ in r.types}]
    return rows


def _get_schedule(fhir_id: str) -> ScheduleRow | None:
    match = SCHEDULE_ID.match(fhir_id)
    if match is None:
        return None
    rows = _schedules(int(match[1]), int(match[2]))
    return rows[0] if rows else None


def _schedule_to_fhir(row: ScheduleRow) -> dict[str, Any]:
    now = timezone.now()
    horizon = (now, now + timedelta(days=BookingPolicy.current().horizon_days))
    return mappers.schedule(
        row.fhir_id,
        row.clinician,
        row.location,
        row.types,
        row.hours,
        horizon,
        availability.clinic_zone(),
    )


# --- Slot --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FreeSlot:
    """A Slot: free (offered now) or busy (an active booking holds it)."""

    slot: core.Slot
    appointment_type: AppointmentType
    status: str = "free"

    @property
    def fhir_id(self) -> str:
        s = self.slot
        start = s.start.astimezone(UTC)
        return f"{s.clinician}-{self.appointment_type.pk}-{s.place}-{start:%Y%m%dT%H%M}"

    @property
    def schedule_id(self) -> str:
        return f"{self.slot.clinician}-{self.slot.place}"


@dataclass(frozen=True)
class SlotKey:
    """What a Slot id names; resolved to rows by ``_resolve``."""

    clinician_id: int
    type_id: int
    location_id: int
    start: datetime


def parse_slot_id(fhir_id: str) -> SlotKey | None:
    match = SLOT_ID.match(fhir_id)
    if match is None:
        return None
    try:
        start = datetime.strptime(match[4], "%Y%m%dT%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None
    return SlotKey(int(match[1]), int(match[2]), int(match[3]), start)


def _resolve(key: SlotKey) -> tuple[AppointmentType, Clinician, Location] | None:
    kind = _bookable_types().filter(pk=key.type_id).first()
    clinician = Clinician.objects.active().filter(pk=key.clinician_id).first()
    place = Location.objects.filter(pk=key.location_id, is_active=True).first()
    if kind is None or clinician is None or place is None:
        return None
    if not kind.clinicians.filter(pk=clinician.pk).exists():
        return None
    return kind, clinician, place


def slot_id_of(appointment: Appointment) -> str:
    """The id of the Slot a booking holds (the same id the free Slot had)."""
    start = appointment.start.astimezone(UTC)
    return (
        f"{appointment.clinician_id}-{appointment.appointment_type_id}-"
        f"{appointment.location_id}-{start:%Y%m%dT%H%M}"
    )


def _busy(appointment: Appointment) -> FreeSlot:
    held = core.Slot(
        appointment.start,
        appointment.end,
        str(appointment.clinician_id),
        str(appointment.location_id),
    )
    return FreeSlot(held, appointment.appointment_type, status="busy")


def _booked(since: datetime | None = None, until: datetime | None = None) -> QuerySet:
    qs = Appointment.objects.active().select_related("appointment_type")
    if since is not None:
        qs = qs.filter(start__gte=since)
    if until is not None:
        qs = qs.filter(start__lt=until)
    return qs


def _get_slot(fhir_id: str) -> FreeSlot | None:
    """A Slot: free while it is offered (re-checked on every read), busy while a booking holds
    it, otherwise unknown."""
    key = parse_slot_id(fhir_id)
    if key is None:
        return None
    held = (
        _booked()
        .filter(
            clinician_id=key.clinician_id,
            appointment_type_id=key.type_id,
            location_id=key.location_id,
            start__gte=key.start,
            start__lt=key.start + timedelta(minutes=1),
        )
        .first()
    )
    if held is not None:
        return _busy(held)
    resolved = _resolve(key)
    if resolved is None:
        return None
    kind, clinician, place = resolved
    found = availability.offered_slot(kind, clinician, key.start, location=place)
    return FreeSlot(found, kind) if found is not None else None


def _find_slots(params: dict[str, list[str]]) -> list[FreeSlot]:
    # Without ``status`` a search lists free slots (what booking clients look for); ``busy``
    # (or ``free,busy``) lists the slots that bookings hold.
    statuses = {"free", "busy"} if params.get("status") else {"free"}
    for value in params.get("status", []):
        codes_ = {_code(v, SLOT_STATUS_SYSTEM) for v in value.split(",")}
        statuses &= statuses if None in codes_ else codes_
    if not statuses:
        return []  # only free slots and busy (booked) ones exist here
    zone = availability.clinic_zone()
    bounds = Bounds()
    for value in params.get("start", []):
        bounds = bounds.narrowed(date_bounds(value, zone))
    since = bounds.lower or timezone.now()
    until = bounds.upper or since + SLOT_WINDOW
    kinds = list(_bookable_types())
    for value in params.get("service-type", []):
        code = _code(value, codes.APPOINTMENT_TYPE_SYSTEM)
        kinds = [k for k in kinds if code is None or k.slug == code]
    wanted = [numeric_reference(v, "Practitioner") for v in params.get("practitioner", [])]
    location: Location | None = None
    for value in params.get("schedule", []):
        match = SCHEDULE_ID.match(reference_id(value, "Schedule"))
        if match is None:
            raise SearchError(f"{value!r} is not a Schedule id (<practitioner>-<location>)")
        wanted.append(int(match[1]))
        location = Location.objects.filter(pk=int(match[2])).first()
        if location is None:
            return []
    if len(set(wanted)) > 1:
        return []  # repeated parameters AND together: two practitioners match no slot
    clinician_ids = set(wanted) or None
    found: list[FreeSlot] = []
    if "busy" in statuses:
        booked = _booked(since, until).filter(appointment_type__in=kinds)
        if clinician_ids is not None:
            booked = booked.filter(clinician_id__in=clinician_ids)
        if location is not None:
            booked = booked.filter(location=location)
        found.extend(_busy(a) for a in booked.order_by("start")[:MAX_SLOTS])
    # The free ones come from the booking page's own search (scheduling.availability.free_slots).
    clinician = None
    if clinician_ids is not None:
        clinician = Clinician.objects.active().filter(pk__in=clinician_ids).first()
        if clinician is None:
            return found
    for kind in kinds if "free" in statuses else []:
        for slot in availability.free_slots(
            kind, clinician=clinician, location=location, since=since, until=until, limit=MAX_SLOTS
        ):
            found.append(FreeSlot(slot, kind))
    found.sort(key=lambda f: (f.slot.start, int(f.slot.clinician), f.appointment_type.pk))
    return found[:MAX_SLOTS]


def _slot_to_fhir(free: FreeSlot) -> dict[str, Any]:
    return mappers.slot(
        free.fhir_id,
        free.schedule_id,
        free.slot.start,
        free.slot.end,
        free.appointment_type.slug,
        free.appointment_type.name,
        availability.clinic_zone(),
        status=free.status,
    )


# --- Appointment -------------------------------------------------------------------------------


def _appointment_status(qs: QuerySet, value: str) -> QuerySet:
    code = _code(value, APPOINTMENT_STATUS_SYSTEM)
    if code is None:
        return qs
    if code == "":
        return qs.none()
    if code not in STATUS_FROM_FHIR:
        known = ", ".join(sorted(STATUS_FROM_FHIR))
        raise SearchError(f"Unknown Appointment status {code!r} (known: {known})")
    return qs.filter(status=STATUS_FROM_FHIR[code])


def _appointment_slot(qs: QuerySet, value: str) -> QuerySet:
    key = parse_slot_id(reference_id(value, "Slot"))
    if key is None:
        return qs.none()
    return qs.filter(
        clinician_id=key.clinician_id,
        appointment_type_id=key.type_id,
        location_id=key.location_id,
        start__gte=key.start,
        start__lt=key.start + timedelta(minutes=1),
    )


def _appointment_to_fhir(appointment: Appointment) -> dict[str, Any]:
    held = appointment.status in Appointment.ACTIVE_STATUSES
    slot_id = slot_id_of(appointment) if held else None
    return mappers.appointment(appointment, availability.clinic_zone(), slot_id)


def _one_reference(refs: list[str], resource_type: str, what: str) -> str:
    if len(refs) != 1:
        raise UnprocessableError(f"Give exactly one {what} reference ({resource_type}/<id>).")
    try:
        return reference_id(refs[0], resource_type)
    except SearchError as exc:
        raise UnprocessableError(str(exc)) from None


def book_from_fhir(client: FhirClient, body: dict[str, Any], request: HttpRequest) -> Appointment:
    """Book the free Slot an Appointment resource names, for the Patient among its participants.

    Raises InvalidResourceError (400) for an invalid Appointment, FhirForbiddenError (403) when a
    patient books for someone else, UnprocessableError (422) for unknown or unbookable slots and
    patients, ConflictError (409) when the slot was taken first.
    """
    from fhir.resources.R4B.appointment import Appointment as FhirAppointment

    require_reader(client, REGISTRY["Appointment"])
    try:
        resource = FhirAppointment.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidResourceError(f"Invalid Appointment: {where}: {first['msg']}") from None
    slot_id = _one_reference([s.reference or "" for s in resource.slot or []], "Slot", "slot")
    patient_refs = [
        p.actor.reference
        for p in resource.participant
        if p.actor is not None and (p.actor.reference or "").split("/")[-2:-1] == ["Patient"]
    ]
    patient_id = _one_reference(patient_refs, "Patient", "patient participant")
    patient_pk = parse_id(patient_id)  # ASCII digits only (#12.9)
    if patient_pk is None:
        raise UnprocessableError(f"Patient/{patient_id} is not known.")
    if not is_staff(client) and own_patient_id(client) != patient_pk:
        raise FhirForbiddenError("A patient may book appointments only for themself.")
    if client.patient_only and client.grant.patient_id != patient_pk:
        raise FhirForbiddenError("patient/ scopes book only for the patient in context.")
    patient = Patient.objects.filter(pk=patient_pk).first()
    if patient is None:
        raise UnprocessableError(f"Patient/{patient_id} is not known.")
    key = parse_slot_id(slot_id)
    resolved = _resolve(key) if key is not None else None
    if resolved is None:
        raise UnprocessableError(f"Slot/{slot_id} is not a bookable slot.")
    kind, clinician, place = resolved
    try:
        return actions.book_appointment(
            appointment_type=kind,
            start=key.start,
            clinician=clinician,
            location=place,
            patient=patient,
            contact=actions.Contact.of(patient),
            reason=resource.comment or "",
            source=Appointment.Source.API,
            actor=client.user,
            request=request,
        )
    except SlotTakenError as exc:
        raise ConflictError(f"Slot/{slot_id}: {exc.user_message}") from None
    except SchedulingError as exc:
        raise UnprocessableError(exc.user_message) from None


register(
    ResourceType(
        name="Schedule",
        queryset=None,
        to_fhir=_schedule_to_fhir,
        search={"actor": SearchParam("reference"), "service-type": SearchParam("token")},
        virtual=VirtualSource(find=_find_schedules, get=_get_schedule, export=_schedules),
    )
)
register(
    ResourceType(
        name="Slot",
        queryset=None,
        to_fhir=_slot_to_fhir,
        search={
            "start": SearchParam("date"),
            "schedule": SearchParam("reference"),
            "service-type": SearchParam("token"),
            "practitioner": SearchParam("reference"),
            "status": SearchParam("token"),
        },
        virtual=VirtualSource(
            find=_find_slots,
            get=_get_slot,
            # Bulk exports write the slots bookings hold, so every Appointment.slot resolves.
            export=lambda: [_busy(a) for a in _booked().order_by("start")],
        ),
    )
)
register(
    ResourceType(
        name="Appointment",
        queryset=lambda: Appointment.objects.select_related(
            "patient", "clinician", "location", "appointment_type"
        ),
        to_fhir=_appointment_to_fhir,
        search={
            "patient": SearchParam(
                "reference",
                lambda qs, v: qs.filter(patient_id=numeric_reference(v, "Patient")),
            ),
            "practitioner": SearchParam(
                "reference",
                lambda qs, v: qs.filter(clinician_id=numeric_reference(v, "Practitioner")),
            ),
            "date": date_param("start", "instant"),
            "status": SearchParam("token", _appointment_status),
            "slot": SearchParam("reference", _appointment_slot),
        },
        patient_field="patient",
        sort={"date": "start"},
        interactions=("read", "search-type", "create"),
        create=book_from_fhir,
    )
)
