"""FHIR Encounter (each visit) and Condition (the patient's diagnosis), which Observations and
Procedures refer to. Both clinical: the front desk is refused, patients see only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from collis.interop.fhir import chart_mappers, codes
from collis.interop.fhir.resources import (
    ResourceType,
    SearchParam,
    date_param,
    reference_param,
    register,
    token,
)
from collis.patients.models import Diagnosis, Visit
from collis.scheduling.availability import clinic_zone


def condition_ids(patient_ids: list[int]) -> dict[int, int]:
    """Patient pk -> the pk of their diagnosis (their Condition), for those who have one."""
    return dict(
        Diagnosis.objects.filter(patient_id__in=patient_ids).values_list("patient_id", "pk")
    )


def _encounter(visit: Visit) -> dict[str, Any]:
    diagnosis_id = condition_ids([visit.patient_id]).get(visit.patient_id)
    return chart_mappers.encounter(
        visit, visit.get_kind_display(), visit.clinician, clinic_zone(), diagnosis_id
    )


def _condition(diagnosis: Diagnosis) -> dict[str, Any]:
    return chart_mappers.condition(diagnosis, diagnosis.treating_clinician)


def _code(qs: QuerySet, value: str) -> QuerySet:
    """Condition code: SNOMED CT 4925003 matches the cervical-dystonia diagnoses."""
    param = token("condition__iexact", codes.SNOMED, lambda code: None)
    if value.rpartition("|")[2] != codes.CERVICAL_DYSTONIA["code"]:
        return param.apply(qs, value)
    if "|" in value and value.partition("|")[0] not in ("", codes.SNOMED):
        return qs.none()
    names = chart_mappers.CERVICAL_DYSTONIA_NAMES
    return qs.filter(condition__iregex=r"^\s*(" + "|".join(sorted(names)) + r")\s*$")


register(
    ResourceType(
        name="Encounter",
        queryset=lambda: Visit.objects.select_related("clinician"),
        to_fhir=_encounter,
        search={
            "patient": reference_param("patient_id", "Patient"),
            "subject": reference_param("patient_id", "Patient"),
            "date": date_param("occurred_at", "instant"),
            "practitioner": reference_param("clinician_id", "Practitioner"),
            "type": token("kind", chart_mappers.VISIT_KIND_SYSTEM),
        },
        clinical=True,
        patient_field="patient",
        sort={"date": "occurred_at"},
    )
)
register(
    ResourceType(
        name="Condition",
        queryset=lambda: Diagnosis.objects.select_related("treating_clinician"),
        to_fhir=_condition,
        search={
            "patient": reference_param("patient_id", "Patient"),
            "subject": reference_param("patient_id", "Patient"),
            "code": SearchParam("token", _code),
            "onset-date": date_param("onset_date"),
        },
        clinical=True,
        patient_field="patient",
        sort={"onset-date": "onset_date"},
    )
)
