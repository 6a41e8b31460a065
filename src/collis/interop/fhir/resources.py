"""The FHIR resource types Collis serves: how each is queried, searched, mapped and guarded.

Adding a resource type is one ``register(ResourceType(...))`` call; the CapabilityStatement,
the REST views and the validation tests all read this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from collis.interop.fhir import mappers
from collis.interop.fhir.errors import SearchError
from collis.interop.fhir.search import token_code
from collis.lib.inputs import parse_date as parse_sane_date
from collis.lib.inputs import parse_id
from collis.patients.models import Patient
from collis.providers.models import Clinic, Clinician, Location

__all__ = ["REGISTRY", "ResourceType", "SearchError", "SearchParam", "VirtualSource", "register"]

SearchFilter = Callable[[QuerySet, str], QuerySet]


@dataclass(frozen=True)
class SearchParam:
    """One search parameter: its FHIR type (for the CapabilityStatement) and, for database-backed
    types, the queryset filter applied once per value (repeated parameters AND together)."""

    type: str
    apply: SearchFilter | None = None


@dataclass(frozen=True)
class VirtualSource:
    """Rows computed on request rather than stored (free Slots, Schedules from weekly hours).

    ``find(params)`` gets the validated search parameters (name -> values) and returns the matching
    rows, each with a ``fhir_id``; ``get(fhir_id)`` returns one row or None.
    """

    find: Callable[[dict[str, list[str]]], list[Any]]
    get: Callable[[str], Any | None]


@dataclass(frozen=True)
class ResourceType:
    name: str
    queryset: Callable[[], QuerySet] | None
    to_fhir: Callable[[Any], dict[str, Any]]
    search: dict[str, SearchParam] = field(default_factory=dict)
    # Clinical data: hidden from the front desk. Patient-owned data: patients see only theirs.
    # ``patient_field`` may follow relations (``session__patient``).
    clinical: bool = False
    patient_field: str | None = None
    interactions: tuple[str, ...] = ("read", "search-type")
    # The FHIR id is ``id_prefix + pk``, so that one FHIR type can later be served from several
    # tables without clashing ids (e.g. Observation: "scale-12" now, "posture-7" later).
    id_prefix: str = ""
    virtual: VirtualSource | None = None
    # More tables serving the same FHIR type (Observation: scale scores and posture
    # measurements), each a ResourceType of the same name with its own id prefix and the same
    # search parameter names. Reads pick the source by prefix; searches page across them.
    also: tuple[ResourceType, ...] = ()
    # Handles ``POST /fhir/<name>``: (client, resource JSON, request) -> the created row.
    create: Callable[..., Any] | None = None

    def sources(self) -> tuple[ResourceType, ...]:
        return (self, *self.also)

    def source_of(self, fhir_id: str) -> ResourceType | None:
        """The source whose id prefix ``fhir_id`` carries (longest prefix first)."""
        for source in sorted(self.sources(), key=lambda s: len(s.id_prefix), reverse=True):
            if source.virtual is not None or source.pk_of(fhir_id) is not None:
                return source
        return None

    def fhir_id(self, obj: Any) -> str:
        return obj.fhir_id if self.virtual is not None else f"{self.id_prefix}{obj.pk}"

    def pk_of(self, fhir_id: str) -> int | None:
        """Return the database key a FHIR id names, or None when it cannot name a row."""
        if not fhir_id.startswith(self.id_prefix):
            return None
        return parse_id(fhir_id.removeprefix(self.id_prefix))

    def patient_id_of(self, obj: Any) -> int | None:
        if self.patient_field is None:
            return None
        if self.patient_field == "pk":
            return obj.pk
        *path, last = self.patient_field.split("__")
        for step in path:
            obj = getattr(obj, step)
        return getattr(obj, f"{last}_id")


REGISTRY: dict[str, ResourceType] = {}


def register(resource: ResourceType) -> ResourceType:
    REGISTRY[resource.name] = resource
    return resource


def parse_date(value: str) -> date:
    parsed = parse_sane_date(value[:10])
    if parsed is None:
        raise SearchError(f"{value!r} is not a date (YYYY-MM-DD, years 1900 to 2200)")
    return parsed


def _token(field_name: str) -> SearchParam:
    """FHIR token search: ``system|value`` or just ``value``."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{field_name: token_code(value)})

    return SearchParam("token", apply)


def _contains(*fields: str) -> SearchParam:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        q = Q()
        for name in fields:
            q |= Q(**{f"{name}__icontains": value})
        return qs.filter(q)

    return SearchParam("string", apply)


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
            "birthdate": SearchParam("date", lambda qs, v: qs.filter(birth_date=parse_date(v))),
            "email": SearchParam("token", lambda qs, v: qs.filter(email__iexact=v)),
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


# The scheduling and clinical types live in their own modules; importing them registers them.
from collis.interop.fhir import (  # noqa: E402, F401
    clinical_resources,
    scheduling_resources,
    supply_resources,
)
