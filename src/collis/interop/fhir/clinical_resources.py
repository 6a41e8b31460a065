"""FHIR types of the clinical record: Observation (scale scores), Procedure (the toxin session),
MedicationAdministration (one per muscle and side). All clinical: the front desk is refused and
patients see only their own.

Observation reads from two tables: complete scale assessments (``scale-<pk>``, category
``survey``) and finished posture analyses (``posture-<pk>``, category ``exam``: angles in UCUM
``deg``, tremor frequency in ``Hz``, local codes in ``codes.LOCAL_CODES``). Searches page across
both; a read picks the table by the id prefix.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from collis.checkins.models import HomeCheckin
from collis.injections.dosing import GUIDANCE_LABELS, MUSCLES
from collis.injections.models import AdverseEvent, CycleOutcome, Injection, InjectionSession
from collis.interop.fhir import clinical_mappers
from collis.interop.fhir.resources import ResourceType, SearchParam, register
from collis.interop.fhir.search import date_bounds, numeric_reference, token_code
from collis.recordings.models import PostureRecording
from collis.scales.models import Assessment
from collis.scheduling.availability import clinic_zone

OBSERVATION_PREFIX = "scale-"
SCALE_BY_CODE = {total: scale for scale, (total, _) in clinical_mappers.SCALE_CODES.items()}


def _patient(field_name: str) -> SearchParam:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{field_name: numeric_reference(value, "Patient")})

    return SearchParam("reference", apply)


def _day(field_name: str) -> SearchParam:
    """Date search on a DateField: a stored day matches when it overlaps the searched range."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        zone = clinic_zone()
        bounds = date_bounds(value, zone)
        if bounds.lower is not None:
            qs = qs.filter(**{f"{field_name}__gte": bounds.lower.astimezone(zone).date()})
        if bounds.upper is not None:
            qs = qs.filter(**{f"{field_name}__lt": _ceil_day(bounds.upper, zone)})
        return qs

    return SearchParam("date", apply)


def _ceil_day(instant: datetime, zone: Any) -> date:
    """The first local day that starts at or after ``instant``."""
    local = instant.astimezone(zone)
    return local.date() + (timedelta(days=1) if local.time() != time(0) else timedelta(0))


def _observation_code(qs: QuerySet, value: str) -> QuerySet:
    return qs.filter(scale=SCALE_BY_CODE.get(token_code(value), "-none-"))


def _category(qs: QuerySet, value: str) -> QuerySet:
    return qs if token_code(value) == "survey" else qs.none()


def _observation(assessment: Assessment) -> dict[str, Any]:
    return clinical_mappers.scale_observation(f"{OBSERVATION_PREFIX}{assessment.pk}", assessment)


def _procedure(session: InjectionSession) -> dict[str, Any]:
    return clinical_mappers.toxin_procedure(session, session.visit.clinician)


def _administration(injection: Injection) -> dict[str, Any]:
    session = injection.session
    return clinical_mappers.muscle_administration(
        injection,
        session,
        session.visit.clinician,
        MUSCLES[injection.muscle],
        GUIDANCE_LABELS.get(injection.guidance, injection.guidance),
    )


POSTURE_PREFIX = "posture-"


def _posture_code(qs: QuerySet, value: str) -> QuerySet:
    return qs if token_code(value) == "head-posture" else qs.none()


def _exam_category(qs: QuerySet, value: str) -> QuerySet:
    return qs if token_code(value) == "exam" else qs.none()


def _posture_observation(recording: PostureRecording) -> dict[str, Any]:
    return clinical_mappers.posture_observation(
        f"{POSTURE_PREFIX}{recording.pk}", recording, recording.visit.occurred_at
    )


# Posture analyses that finished (angles stored); failed and running ones are not results.
POSTURE_OBSERVATIONS = ResourceType(
    name="Observation",
    queryset=lambda: PostureRecording.objects.filter(rotation_deg__isnull=False).select_related(
        "visit"
    ),
    to_fhir=_posture_observation,
    search={
        "patient": _patient("patient"),
        "subject": _patient("patient"),
        "code": SearchParam("token", _posture_code),
        "category": SearchParam("token", _exam_category),
        "date": _day("visit__occurred_at__date"),
    },
    clinical=True,
    patient_field="patient",
    id_prefix=POSTURE_PREFIX,
)

CHECKIN_PREFIX = "checkin-"


def _checkin_observation(checkin: HomeCheckin) -> dict[str, Any]:
    return clinical_mappers.home_checkin_observation(f"{CHECKIN_PREFIX}{checkin.pk}", checkin)


# Home check-ins whose resting posture was measured (issue #16).
CHECKIN_OBSERVATIONS = ResourceType(
    name="Observation",
    queryset=lambda: HomeCheckin.objects.filter(resting_rotation_deg__isnull=False),
    to_fhir=_checkin_observation,
    search={
        "patient": _patient("patient"),
        "subject": _patient("patient"),
        "code": SearchParam("token", _posture_code),
        "category": SearchParam("token", _exam_category),
        "date": _day("recorded_at__date"),
    },
    clinical=True,
    patient_field="patient",
    id_prefix=CHECKIN_PREFIX,
)

OUTCOME_PREFIX = "outcome-"


def _outcome_code(qs: QuerySet, value: str) -> QuerySet:
    return qs if token_code(value) == "toxin-cycle-outcome" else qs.none()


def _outcome_observation(outcome: CycleOutcome) -> dict[str, Any]:
    return clinical_mappers.outcome_observation(
        f"{OUTCOME_PREFIX}{outcome.pk}", outcome, outcome.session.patient_id
    )


# CGI-C, PGI-C, pain NRS at peak and CDIP-58 (paper) of a toxin cycle.
OUTCOME_OBSERVATIONS = ResourceType(
    name="Observation",
    queryset=lambda: CycleOutcome.objects.select_related("session"),
    to_fhir=_outcome_observation,
    search={
        "patient": _patient("session__patient"),
        "subject": _patient("session__patient"),
        "code": SearchParam("token", _outcome_code),
        "category": SearchParam("token", _category),
        "date": _day("assessed_on"),
    },
    clinical=True,
    patient_field="session__patient",
    id_prefix=OUTCOME_PREFIX,
)

register(
    ResourceType(
        name="Observation",
        # Drafts have no score (scales: total only when complete), so only complete ones.
        queryset=lambda: Assessment.objects.filter(status=Assessment.Status.COMPLETE),
        to_fhir=_observation,
        search={
            "patient": _patient("patient"),
            "subject": _patient("patient"),
            "code": SearchParam("token", _observation_code),
            "category": SearchParam("token", _category),
            "date": _day("assessed_on"),
        },
        clinical=True,
        patient_field="patient",
        id_prefix=OBSERVATION_PREFIX,
        also=(POSTURE_OBSERVATIONS, CHECKIN_OBSERVATIONS, OUTCOME_OBSERVATIONS),
    )
)
register(
    ResourceType(
        name="Procedure",
        queryset=lambda: InjectionSession.objects.select_related("product", "visit__clinician"),
        to_fhir=_procedure,
        search={
            "patient": _patient("patient"),
            "subject": _patient("patient"),
            "date": _day("injected_on"),
        },
        clinical=True,
        patient_field="patient",
    )
)
register(
    ResourceType(
        name="MedicationAdministration",
        queryset=lambda: Injection.objects.select_related(
            "session__product", "session__visit__clinician"
        ),
        to_fhir=_administration,
        search={
            "patient": _patient("session__patient"),
            "subject": _patient("session__patient"),
            "effective-time": _day("session__injected_on"),
            "part-of": SearchParam(
                "reference",
                lambda qs, v: qs.filter(session_id=numeric_reference(v, "Procedure")),
            ),
        },
        clinical=True,
        patient_field="session__patient",
    )
)


def _adverse_event(event: AdverseEvent) -> dict[str, Any]:
    return clinical_mappers.adverse_event(event, event.session, event.get_kind_display())


register(
    ResourceType(
        name="AdverseEvent",
        queryset=lambda: AdverseEvent.objects.select_related("session"),
        to_fhir=_adverse_event,
        search={
            "patient": _patient("session__patient"),
            "subject": _patient("session__patient"),
            "date": _day("session__injected_on"),
        },
        clinical=True,
        patient_field="session__patient",
    )
)
