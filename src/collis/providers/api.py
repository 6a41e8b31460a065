"""Public, read-only directory endpoints."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from collis.lib.problems import Problem
from collis.providers.models import Clinician, Location
from collis.providers.schemas import ClinicianOut, LocationOut, SpecialtyOut

router = Router(tags=["directory"])


def _clinician_out(clinician: Clinician) -> ClinicianOut:
    return ClinicianOut(
        slug=clinician.slug,
        display_name=clinician.display_name,
        credentials=clinician.credentials,
        title=clinician.title,
        specialties=[SpecialtyOut(slug=s.slug, name=s.name) for s in clinician.specialties.all()],
        locations=[loc.slug for loc in clinician.locations.all()],
        languages=[lang.name for lang in clinician.languages.all()],
        accepting_new_patients=clinician.accepting_new_patients,
    )


@router.get("/clinicians", response=list[ClinicianOut], summary="List active clinicians")
def list_clinicians(request: HttpRequest) -> list[ClinicianOut]:
    clinicians = Clinician.objects.active().prefetch_related(
        "specialties", "locations", "languages"
    )
    return [_clinician_out(c) for c in clinicians]


@router.get(
    "/clinicians/{slug}", response={200: ClinicianOut, 404: Problem}, summary="One clinician"
)
def get_clinician(request: HttpRequest, slug: str) -> ClinicianOut:
    return _clinician_out(get_object_or_404(Clinician.objects.active(), slug=slug))


@router.get("/locations", response=list[LocationOut], summary="List clinic locations")
def list_locations(request: HttpRequest) -> list[LocationOut]:
    return [
        LocationOut(slug=loc.slug, name=loc.name, address=loc.one_line_address, phone=loc.phone)
        for loc in Location.objects.filter(is_active=True)
    ]
