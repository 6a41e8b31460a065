"""FHIR Group: the patient groups a Bulk Data ``Group/{id}/$export`` can name.

``all`` is every patient; ``clinician-<pk>`` the patients with an appointment with that
clinician. Groups are computed, not stored; only staff may read them (members are patients).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.group import Group

from collis.interop.fhir.mappers import reference, validated
from collis.interop.fhir.resources import ResourceType, SearchParam, VirtualSource, register


@dataclass(frozen=True)
class GroupRow:
    fhir_id: str
    name: str


def _all() -> list[GroupRow]:
    from collis.interop.jobs import groups

    return [GroupRow(gid, name) for gid, name in groups().items()]


def _find(params: dict[str, list[str]]) -> list[GroupRow]:
    rows = _all()
    for value in params.get("name", []):
        rows = [r for r in rows if value.lower() in r.name.lower()]
    return rows


def _get(fhir_id: str) -> GroupRow | None:
    return next((r for r in _all() if r.fhir_id == fhir_id), None)


def _to_fhir(row: GroupRow) -> dict[str, Any]:
    from collis.interop.jobs import group_patients

    members = list(group_patients(row.fhir_id).order_by("pk").values_list("pk", flat=True))
    data = {
        "resourceType": "Group",
        "id": row.fhir_id,
        "type": "person",
        "actual": True,
        "name": row.name,
        "quantity": len(members),
        "member": [{"entity": reference("Patient", pk)} for pk in members] or None,
    }
    return validated(Group, data)


register(
    ResourceType(
        name="Group",
        queryset=None,
        to_fhir=_to_fhir,
        search={"name": SearchParam("string")},
        # Members are patients: a clinic-wide list for clinicians and administrators only.
        clinical=True,
        staff_only=True,
        virtual=VirtualSource(find=_find, get=_get),
    )
)
