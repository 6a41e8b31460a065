"""Public provider directory."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from collis.providers.forms import DirectoryFilterForm
from collis.providers.models import Clinician


def clinician_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    clinicians = Clinician.objects.active().prefetch_related(
        "specialties", "locations", "languages"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["specialty"]:
            clinicians = clinicians.filter(specialties=data["specialty"])
        if data["location"]:
            clinicians = clinicians.filter(locations=data["location"])
        if data["language"]:
            clinicians = clinicians.filter(languages=data["language"])
        if data["new_patients"]:
            clinicians = clinicians.filter(accepting_new_patients=True)
    return render(
        request,
        "providers/clinician_list.html",
        {"form": form, "clinicians": clinicians.distinct()},
    )


def clinician_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # No prefetch: the related rows are read only when the profile is rendered, not when it
    # comes from the fragment cache (the page shows no opening hours, so none are fetched).
    clinician = get_object_or_404(Clinician.objects.active(), slug=slug)
    pages = clinician.education_pages.published()
    return render(
        request, "providers/clinician_detail.html", {"clinician": clinician, "pages": pages}
    )
