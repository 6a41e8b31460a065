"""The FHIR resource types Collis serves: how each is queried, searched, mapped and guarded.

Adding a resource type is one ``register(ResourceType(...))`` call; the CapabilityStatement,
the REST views and the validation tests all read this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from collis.interop.fhir import codes, mappers
from collis.interop.fhir.errors import SearchError
from collis.interop.fhir.search import (
    NoMatch,
    day_range,
    instant_range,
    numeric_reference,
    parse_date,
    token_code,
)
from collis.lib.inputs import parse_id
from collis.patients.models import Patient
from collis.providers.models import Clinic, Clinician, Location
from collis.scheduling.availability import clinic_zone

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
    # Rows a Bulk Data export writes (None: the type is not exported).
    export: Callable[[], list[Any]] | None = None


@dataclass(frozen=True)
class ResourceType:
    name: str
    queryset: Callable[[], QuerySet] | None
    to_fhir: Callable[[Any], dict[str, Any]]
    search: dict[str, SearchParam] = field(default_factory=dict)
    # Clinical data: hidden from the front desk. Patient-owned data: patients see only theirs.
    # ``patient_field`` may follow relations (``session__patient``).
    clinical: bool = False
    staff_only: bool = False  # clinic-wide lists of patients (Group): clinicians, administrators
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
    # ``_sort`` keys besides ``_id``: search parameter name -> model field (``__`` paths).
    sort: dict[str, str] = field(default_factory=dict)

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
        rest = fhir_id.removeprefix(self.id_prefix)
        return parse_id(rest)  # ASCII digits only: "²".isdigit() is true, int("²") fails

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


def token(field_name: str, system: str | None, to_db: Callable[[str], Any] | None = None):
    """FHIR token search on a field coded in ``system``: ``code``, ``system|code``, ``|code``,
    ``system|`` (see ``search.token_code``); ``to_db`` maps a FHIR code to the stored value
    (return None for a code that cannot match)."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        try:
            code = token_code(value, system)
        except NoMatch:
            return qs.none()
        if code is None:
            return qs
        stored = to_db(code) if to_db is not None else code
        return qs.none() if stored is None else qs.filter(**{field_name: stored})

    return SearchParam("token", apply)


def date_param(field_name: str, kind: str = "day") -> SearchParam:
    """FHIR date search on a stored date (``kind="day"``, a whole local day) or instant."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        zone = clinic_zone()
        parsed = parse_date(value, zone)
        now = timezone.now()
        found = instant_range(parsed, now) if kind == "instant" else day_range(parsed, zone, now)
        q = Q()
        if found.lower is not None:
            q &= Q(**{f"{field_name}__gte": found.lower})
        if found.upper is not None:
            q &= Q(**{f"{field_name}__lt": found.upper})
        return qs.exclude(q) if found.negate else qs.filter(q)

    return SearchParam("date", apply)


def reference_param(field_name: str, resource_type: str) -> SearchParam:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(**{field_name: numeric_reference(value, resource_type)})

    return SearchParam("reference", apply)


def _contains(*fields: str) -> SearchParam:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        q = Q()
        for name in fields:
            q |= Q(**{f"{name}__icontains": value})
        return qs.filter(q)

    return SearchParam("string", apply)


GENDER_TO_SEX = {
    "female": Patient.Sex.FEMALE,
    "male": Patient.Sex.MALE,
    "other": Patient.Sex.OTHER,
    "unknown": Patient.Sex.UNKNOWN,
}


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
            "identifier": token("mrn", codes.MRN_SYSTEM),
            "family": _contains("family_name"),
            "given": _contains("given_name"),
            "name": _contains("family_name", "given_name"),
            "birthdate": date_param("birth_date"),
            "gender": token("sex", "http://hl7.org/fhir/administrative-gender", GENDER_TO_SEX.get),
            "email": token("email__iexact", None),
        },
        patient_field="pk",
        sort={"birthdate": "birth_date", "family": "family_name", "given": "given_name"},
    )
)
register(
    ResourceType(
        name="Practitioner",
        queryset=lambda: Clinician.objects.prefetch_related("specialties", "languages"),
        to_fhir=_practitioner,
        search={
            "identifier": token("slug", codes.CLINICIAN_SYSTEM),
            "name": _contains("display_name"),
        },
        sort={"name": "display_name"},
    )
)
register(
    ResourceType(
        name="Location",
        queryset=lambda: Location.objects.all(),
        to_fhir=mappers.location,
        search={
            "name": _contains("name"),
            "address-city": _contains("city"),
            "organization": reference_param("clinic_id", "Organization"),
        },
        sort={"name": "name"},
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
