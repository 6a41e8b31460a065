"""FHIR types of the clinical record: Observation (scale scores), Procedure (the toxin session),
MedicationAdministration (one per muscle and side). All clinical: the front desk is refused and
patients see only their own.

Observation reads from two tables: complete scale assessments (``scale-<pk>``, category
``survey``) and finished posture analyses (``posture-<pk>``, category ``exam``: angles in UCUM
``deg``, tremor frequency in ``Hz``, local codes in ``codes.LOCAL_CODES``). Searches page across
both; a read picks the table by the id prefix.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from collis.checkins.models import HomeCheckin
from collis.injections.dosing import GUIDANCE_LABELS, MUSCLES
from collis.injections.models import (
    AdverseEvent,
    AntibodyTest,
    CycleOutcome,
    Injection,
    InjectionSession,
    SideEffectReport,
)
from collis.interop.fhir import clinical_mappers, codes
from collis.interop.fhir.resources import ResourceType, SearchParam, date_param, register, token
from collis.interop.fhir.search import NoMatch, numeric_reference, token_code
from collis.recordings.models import PostureRecording
from collis.scales.models import Assessment

OBSERVATION_PREFIX = "scale-"
SCALE_BY_CODE = {total: scale for scale, (total, _) in clinical_mappers.SCALE_CODES.items()}


def _patient(field_name: str) -> SearchParam:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{field_name: numeric_reference(value, "Patient")})

    return SearchParam("reference", apply)


def _fixed_token(system: str, code: str) -> SearchParam:
    """A token that every row of a table carries (one category, one code)."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        try:
            searched = token_code(value, system)
        except NoMatch:
            return qs.none()
        return qs if searched in (None, code) else qs.none()

    return SearchParam("token", apply)


def _observation(assessment: Assessment) -> dict[str, Any]:
    return clinical_mappers.scale_observation(f"{OBSERVATION_PREFIX}{assessment.pk}", assessment)


def _procedure(session: InjectionSession) -> dict[str, Any]:
    from collis.interop.fhir.chart_resources import condition_ids

    condition_id = condition_ids([session.patient_id]).get(session.patient_id)
    return clinical_mappers.toxin_procedure(session, session.visit.clinician, condition_id)


def _encounter_param(field_name: str = "visit_id") -> SearchParam:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{field_name: numeric_reference(value, "Encounter")})

    return SearchParam("reference", apply)


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
        "code": _fixed_token(codes.LOCAL_OBSERVATION_SYSTEM, "head-posture"),
        "category": _fixed_token(codes.OBSERVATION_CATEGORY, "exam"),
        "date": date_param("visit__occurred_at", "instant"),
        "encounter": _encounter_param(),
    },
    sort={"date": "visit__occurred_at"},
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
        "code": _fixed_token(codes.LOCAL_OBSERVATION_SYSTEM, "head-posture"),
        "category": _fixed_token(codes.OBSERVATION_CATEGORY, "exam"),
        "date": date_param("recorded_at", "instant"),
    },
    sort={"date": "recorded_at"},
    clinical=True,
    patient_field="patient",
    id_prefix=CHECKIN_PREFIX,
)

OUTCOME_PREFIX = "outcome-"


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
        "code": _fixed_token(codes.LOCAL_OBSERVATION_SYSTEM, "toxin-cycle-outcome"),
        "category": _fixed_token(codes.OBSERVATION_CATEGORY, "survey"),
        "date": date_param("assessed_on"),
    },
    sort={"date": "assessed_on"},
    clinical=True,
    patient_field="session__patient",
    id_prefix=OUTCOME_PREFIX,
)

ANTIBODY_PREFIX = "antibody-"


def _antibody_observation(test: AntibodyTest) -> dict[str, Any]:
    return clinical_mappers.antibody_observation(
        f"{ANTIBODY_PREFIX}{test.pk}", test, test.get_method_display(), test.get_result_display()
    )


# Botulinum toxin antibody tests (issue #13): laboratory results, clinical like the HTML pages.
ANTIBODY_OBSERVATIONS = ResourceType(
    name="Observation",
    queryset=lambda: AntibodyTest.objects.all(),
    to_fhir=_antibody_observation,
    search={
        "patient": _patient("patient"),
        "subject": _patient("patient"),
        "code": token(
            "toxin_type",
            codes.LOCAL_OBSERVATION_SYSTEM,
            {"toxin-antibodies-a": "A", "toxin-antibodies-b": "B"}.get,
        ),
        "category": _fixed_token(codes.OBSERVATION_CATEGORY, "laboratory"),
        "date": date_param("tested_on"),
    },
    sort={"date": "tested_on"},
    clinical=True,
    patient_field="patient",
    id_prefix=ANTIBODY_PREFIX,
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
            "code": token("scale", codes.LOCAL_OBSERVATION_SYSTEM, SCALE_BY_CODE.get),
            "category": _fixed_token(codes.OBSERVATION_CATEGORY, "survey"),
            "date": date_param("assessed_on"),
            "encounter": _encounter_param(),
        },
        sort={"date": "assessed_on"},
        clinical=True,
        patient_field="patient",
        id_prefix=OBSERVATION_PREFIX,
        also=(
            POSTURE_OBSERVATIONS,
            CHECKIN_OBSERVATIONS,
            OUTCOME_OBSERVATIONS,
            ANTIBODY_OBSERVATIONS,
        ),
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
            "date": date_param("injected_on"),
            "encounter": _encounter_param(),
        },
        sort={"date": "injected_on"},
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
            "effective-time": date_param("session__injected_on"),
            "part-of": SearchParam(
                "reference",
                lambda qs, v: qs.filter(session_id=numeric_reference(v, "Procedure")),
            ),
        },
        clinical=True,
        patient_field="session__patient",
        sort={"effective-time": "session__injected_on"},
    )
)


def _adverse_event(event: AdverseEvent) -> dict[str, Any]:
    return clinical_mappers.adverse_event(event, event.session, event.get_kind_display())


REPORT_PREFIX = "report-"


def _reported_side_effect(report: SideEffectReport) -> dict[str, Any]:
    # A soft-deleted session is not served, so it is not named as the suspect either.
    session = report.session
    return clinical_mappers.side_effect_adverse_event(
        f"{REPORT_PREFIX}{report.pk}",
        report,
        report.symptom_labels(),
        report.reported_at,
        session.pk if session is not None and session.deleted_at is None else None,
    )


# Side effects patients report from the portal (issue #13): the patient is the recorder.
SIDE_EFFECT_REPORTS = ResourceType(
    name="AdverseEvent",
    queryset=lambda: SideEffectReport.objects.select_related("session"),
    to_fhir=_reported_side_effect,
    search={
        "patient": _patient("patient"),
        "subject": _patient("patient"),
        "date": date_param("started_on"),
    },
    clinical=True,
    patient_field="patient",
    sort={"date": "started_on"},
    id_prefix=REPORT_PREFIX,
)

register(
    ResourceType(
        name="AdverseEvent",
        queryset=lambda: AdverseEvent.objects.select_related("session"),
        to_fhir=_adverse_event,
        search={
            "patient": _patient("session__patient"),
            "subject": _patient("session__patient"),
            "date": date_param("session__injected_on"),
        },
        clinical=True,
        patient_field="session__patient",
        sort={"date": "session__injected_on"},
        also=(SIDE_EFFECT_REPORTS,),
    )
)
