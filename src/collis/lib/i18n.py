"""Choosing the language a page, email or calendar file is written in (issue #17).

Order, for a request: ``?lang=xx`` (links in emails) > the language cookie (the switcher) >
a signed-in patient's saved language > Accept-Language > LANGUAGE_CODE. Django's LocaleMiddleware
does the cookie and Accept-Language; ``LanguageChoiceMiddleware`` adds the other two.

No imports from apps above lib: the patient is reached duck-typed through ``user.patient``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.formats import date_format

# Free-text values already on patient records ("Spanish") map to a language code.
_NAMES = {
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
}


def supported_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_code_for(value: str | None) -> str | None:
    """A supported language code for a code ("es", "es-MX") or a name ("Spanish"), else None."""
    if not value:
        return None
    text = value.strip().lower()
    code = _NAMES.get(text, text.replace("_", "-").split("-")[0])
    return code if code in supported_codes() else None


def patient_language(patient: object) -> str:
    """The language to write to a patient in: their saved one, else the site default."""
    saved = getattr(patient, "preferred_language", "") if patient is not None else ""
    return language_code_for(saved) or settings.LANGUAGE_CODE


def _patient_of(user: object) -> object | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return getattr(user, "patient", None)
    except ObjectDoesNotExist:
        return None


def set_language_cookie(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LanguageChoiceMiddleware:
    """``?lang=es`` sets the language (and the cookie); else a signed-in patient's saved one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from_link = language_code_for(request.GET.get("lang"))
        chosen = from_link
        if chosen is None and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            patient = _patient_of(getattr(request, "user", None))
            if patient is not None:
                chosen = language_code_for(getattr(patient, "preferred_language", ""))
        if chosen is not None:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if from_link is not None:
            set_language_cookie(response, from_link)
        return response


def with_language(url: str, code: str | None) -> str:
    """``url`` that opens in ``code`` (``?lang=es``); unchanged for the site default language."""
    if not code or code == settings.LANGUAGE_CODE:
        return url
    return f"{url}{'&' if '?' in url else '?'}lang={code}"


def month_abbreviations() -> tuple[str, ...]:
    """The twelve short month names in the active language ("Jan" …, "Ene" …), for charts."""
    return tuple(date_format(date(2001, month, 1), "M") for month in range(1, 13))
