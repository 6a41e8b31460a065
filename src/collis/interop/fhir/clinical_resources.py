"""FHIR types of the clinical record: Observation (scale scores), Procedure (the toxin session),
MedicationAdministration (one per muscle and side). All clinical: the front desk is refused and
patients see only their own.

Extension point for posture recordings (the ``recordings`` app, not built yet): measured angles
and tremor map to Observations with the local codes already listed in ``codes.LOCAL_CODES``
(``head-rotation``, ``head-laterocollis``, ``head-flexion`` in degrees, UCUM ``deg``;
``head-tremor-frequency`` in ``Hz``), category ``exam``. Their ids get their own prefix
(``posture-<pk>``) so they can never clash with ``scale-<pk>``; serving them means making the
Observation type read from both tables (a queryset per id prefix) — ``ResourceType.id_prefix`` and
``pk_of`` are the hooks for that.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from collis.injections.dosing import GUIDANCE_LABELS, MUSCLES
from collis.injections.models import Injection, InjectionSession
from collis.interop.fhir import clinical_mappers
from collis.interop.fhir.resources import ResourceType, SearchParam, register
from collis.interop.fhir.search import date_bounds, numeric_reference, token_code
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
