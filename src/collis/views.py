"""Site-wide pages: home, search and the styled error pages."""

import json
import sys

from django import db
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from collis.education.models import Page
from collis.education.views import localise
from collis.lib import fulltext
from collis.lib.i18n import language_code_for
from collis.patients.actions import set_preferred_language
from collis.providers.models import Clinician, Location

SEARCH_MAX_LENGTH = 100


def home(request: HttpRequest) -> HttpResponse:
    # Lazy: when the page's content comes from the fragment cache, nothing here is queried.
    context = {
        "locations": Location.objects.filter(is_active=True).prefetch_related("hours"),
        "featured_pages": SimpleLazyObject(
            lambda: localise(list(Page.objects.published().filter(featured=True)[:3]))
        ),
        "clinicians": Clinician.objects.active().prefetch_related("specialties")[:6],
    }
    return render(request, "home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The switcher: Django's view sets the cookie; a signed-in patient's record remembers it."""
    response = django_set_language(request)
    code = language_code_for(request.POST.get("language"))
    user = request.user
    if code and user.is_authenticated and hasattr(user, "patient"):
        set_preferred_language(user.patient, code)
    return response


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    pages = clinicians = []
    if query:
        # Lazy: ranked only when the results are rendered (not served from the fragment cache).
        pages = SimpleLazyObject(lambda: _ranked(Page.objects.published(), _page_text, query))
        clinicians = SimpleLazyObject(
            lambda: _ranked(
                Clinician.objects.active().prefetch_related(
                    "specialties", "locations", "languages"
                ),
                _clinician_text,
                query,
            )
        )
    context = {"query": query, "pages": pages, "clinicians": clinicians}
    return render(request, "search.html", context)


def _ranked(queryset, text, query: str) -> list:
    """The objects of ``queryset`` whose text matches ``query`` (stemmed full-text), best first."""
    objects = {obj.pk: obj for obj in queryset}
    ids = fulltext.rank(((pk, text(obj)) for pk, obj in objects.items()), query)
    return [objects[pk] for pk in ids]


def _page_text(page: Page) -> str:
    return "\n".join([page.title, page.title, page.summary, page.body])


def _clinician_text(clinician: Clinician) -> str:
    related = [
        *(s.name for s in clinician.specialties.all()),
        *(f"{loc.name} {loc.city}" for loc in clinician.locations.all()),
        *(lang.name for lang in clinician.languages.all()),
    ]
    return "\n".join(
        [
            clinician.display_name,
            clinician.credentials,
            clinician.title,
            clinician.bio,
            clinician.conditions_treated,
            *related,
        ]
    )


def _machine_error(request: HttpRequest | None, status: int, title: str) -> HttpResponse | None:
    """Problem JSON under /api/ and an OperationOutcome under /fhir/, never an HTML page."""
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        body = {"type": "about:blank", "title": title, "status": status}
        return HttpResponse(
            json.dumps(body), status=status, content_type="application/problem+json"
        )
    if path.startswith("/fhir/"):
        issue = {"severity": "error" if status < 500 else "fatal", "diagnostics": title,
                 "code": "not-found" if status == 404 else "exception"}  # fmt: skip
        body = {"resourceType": "OperationOutcome", "issue": [issue]}
        return HttpResponse(
            json.dumps(body), status=status, content_type="application/fhir+json; fhirVersion=4.0"
        )
    return None


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _machine_error(request, 404, "Not found") or render(request, "404.html", status=404)


DATABASE_RETRY_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when the database is unreachable (restart, failover).

    Django calls this inside its exception handler, so the exception is still current.
    Rendered without the request context: a broken context processor (or database) must not
    raise again here.
    """
    exc = sys.exc_info()[1]
    machine = _machine_error(request, 500, "Internal server error")
    if machine is not None:
        return machine
    if isinstance(exc, (db.OperationalError, db.InterfaceError)):
        response = render(None, "503.html", status=503)
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    return render(None, "500.html", status=500)
