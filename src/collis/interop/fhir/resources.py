"""The FHIR resource types Collis serves: how each is queried, searched, mapped and guarded.

Adding a resource type is one ``register(ResourceType(...))`` call; the CapabilityStatement,
the REST views and the validation tests all read this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, Q, QuerySet

from collis.interop.fhir import mappers
from collis.patients.models import Patient
from collis.providers.models import Clinic, Clinician, Location


class SearchError(ValueError):
    """A search parameter value cannot be used (bad date, unknown parameter)."""


SearchFilter = Callable[[QuerySet, str], QuerySet]


@dataclass(frozen=True)
class ResourceType:
    name: str
    queryset: Callable[[], QuerySet]
    to_fhir: Callable[[Any], dict[str, Any]]
    search: dict[str, SearchFilter] = field(default_factory=dict)
    # Clinical data: hidden from the front desk. Patient-owned data: patients see only theirs.
    clinical: bool = False
    patient_field: str | None = None
    interactions: tuple[str, ...] = ("read", "search-type")

    def patient_id_of(self, obj: Model) -> int | None:
        if self.patient_field is None:
            return None
        return obj.pk if self.patient_field == "pk" else getattr(obj, f"{self.patient_field}_id")


REGISTRY: dict[str, ResourceType] = {}


def register(resource: ResourceType) -> ResourceType:
    REGISTRY[resource.name] = resource
    return resource


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise SearchError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _token(field_name: str) -> SearchFilter:
    """FHIR token search: ``system|value`` or just ``value``."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{field_name: value.rpartition("|")[2]})

    return apply


def _contains(*fields: str) -> SearchFilter:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        q = Q()
        for name in fields:
            q |= Q(**{f"{name}__icontains": value})
        return qs.filter(q)

    return apply


def _practitioner(c: Clinician) -> dict[str, Any]:
    return mappers.practitioner(
        c, [s.name for s in c.specialties.all()], [lang.name for lang in c.languages.all()]
    )


register(
    ResourceType(
        name="Patient",
        queryset=lambda: Patient.objects.all(),
        to_fhir=mappers.patient,
        search={
            "identifier": _token("mrn"),
            "family": _contains("family_name"),
            "given": _contains("given_name"),
            "name": _contains("family_name", "given_name"),
            "birthdate": lambda qs, v: qs.filter(birth_date=parse_date(v)),
            "email": lambda qs, v: qs.filter(email__iexact=v),
        },
        patient_field="pk",
    )
)
register(
    ResourceType(
        name="Practitioner",
        queryset=lambda: Clinician.objects.prefetch_related("specialties", "languages"),
        to_fhir=_practitioner,
        search={"identifier": _token("slug"), "name": _contains("display_name")},
    )
)
register(
    ResourceType(
        name="Location",
        queryset=lambda: Location.objects.all(),
        to_fhir=mappers.location,
        search={"name": _contains("name"), "address-city": _contains("city")},
    )
)
register(
    ResourceType(
        name="Organization",
        queryset=lambda: Clinic.objects.all(),
        to_fhir=mappers.organization,
        search={"name": _contains("name")},
    )
)
