"""Site-wide pages: home, search and the styled error pages."""

import json
import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from collis.education.models import Page
from collis.education.views import localise
from collis.lib import fulltext
from collis.lib.i18n import language_code_for
from collis.lib.problems import DATABASE_RETRY_SECONDS, DATABASE_UNAVAILABLE
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
    """Pages and specialists matching the query, stemmed in the reader's language: a Spanish
    reader searches the Spanish text of the pages (Spanish stemming, accent-insensitive), and an
    English word still finds English text when Spanish finds nothing."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    pages = clinicians = []
    if query:
        # Lazy: ranked only when the results are rendered (not served from the fragment cache).
        pages = SimpleLazyObject(lambda: _ranked_pages(query, language))
        clinicians = SimpleLazyObject(
            lambda: _ranked(
                Clinician.objects.active().prefetch_related(
                    "specialties", "locations", "languages"
                ),
                _clinician_text,
                query,
                language,
            )
        )
    context = {"query": query, "pages": pages, "clinicians": clinicians}
    return render(request, "search.html", context)


def _ranked_pages(query: str, language: str) -> list:
    published = list(Page.objects.published())
    english = {page.pk: _page_text(page) for page in published}
    localise(published)
    return _ranked(published, _page_text, query, language, english=lambda page: english[page.pk])


def _ranked(objects, text, query: str, language: str, english=None) -> list:  # noqa: ANN001
    """The ``objects`` whose text matches ``query`` (stemmed full-text), best first: in the
    reader's language, else (nothing found) their English text (``english``, else ``text``)
    as English."""
    by_id = {obj.pk: obj for obj in objects}
    ids = fulltext.rank(((pk, text(o)) for pk, o in by_id.items()), query, language=language)
    if not ids and language != "en":
        english = english or text
        ids = fulltext.rank(((pk, english(o)) for pk, o in by_id.items()), query, language="en")
    return [by_id[pk] for pk in ids]


def _page_text(page: Page) -> str:
    """The page's words in the reader's language (its shipped translation, else the English)."""
    found = getattr(page, "translation", None)
    if found is not None:
        return "\n".join([found.title, found.title, found.summary, found.body])
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
                 "code": {404: "not-found", 503: "transient"}.get(status, "exception")}  # fmt: skip
        body = {"resourceType": "OperationOutcome", "issue": [issue]}
        return HttpResponse(
            json.dumps(body), status=status, content_type="application/fhir+json; fhirVersion=4.0"
        )
    return None


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _machine_error(request, 404, "Not found") or render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when the database is unreachable (restart, failover).

    Django calls this inside its exception handler, so the exception is still current.
    Rendered without the request context: a broken context processor (or database) must not
    raise again here.
    """
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        response = _machine_error(request, 503, "Service unavailable") or render(
            None, "503.html", status=503
        )
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    return _machine_error(request, 500, "Internal server error") or render(
        None, "500.html", status=500
    )
