"""Search in Spanish (issue #17, item 6): stemmed and accent-insensitive, on SQLite (Snowball's
Spanish stemmer in Python, FTS5) and on PostgreSQL (the 'spanish' text search configuration).
Run on both: ``DATABASE_URL=postgres://... pytest tests/i18n/test_spanish_search.py``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from collis.lib import fulltext

pytestmark = pytest.mark.django_db

DOCS = [
    (1, "Después de la inyección puede notar el cuello más débil durante unos días."),
    (2, "Ejercicios de estiramiento para el cuello: hágalos despacio."),
    (3, "La distonía cervical hace que los músculos del cuello se contraigan."),
    (4, "Botulinum toxin injections: what to expect."),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("inyecciones", [1]),  # plural finds the singular
        ("inyeccion", [1]),  # without the accent
        ("INYECCIÓN", [1]),
        ("ejercicio", [2]),  # singular finds the plural
        ("estirar", [2]),  # the verb finds the noun's stem
        ("distonia", [3]),  # accent-insensitive
        ("distonías", [3]),
        ("músculo", [3]),
    ],
)
def test_spanish_words_find_their_stems(query, expected):
    assert fulltext.rank(DOCS, query, language="es") == expected


def test_every_word_first_then_any_word():
    assert fulltext.rank(DOCS, "cuello ejercicios", language="es") == [2]
    assert set(fulltext.rank(DOCS, "ejercicios distonía", language="es")) == {2, 3}


def test_english_stays_english():
    assert fulltext.rank(DOCS, "injection", language="en") == [4]
    assert fulltext.rank(DOCS, "injection") == [4]


def test_an_unknown_language_falls_back_to_the_simple_rules():
    assert set(fulltext.rank(DOCS, "cuello", language="xx")) == {1, 2, 3}


def _search_es(client, query: str) -> str:
    response = client.get(reverse("search"), {"q": query}, HTTP_ACCEPT_LANGUAGE="es")
    return response.content.decode()


def test_site_search_in_spanish_finds_spanish_pages(client, demo_data):
    """'inyecciones' finds the toxin page (its Spanish text says 'inyección'), shown by its
    Spanish title; an English word still finds the English pages for a Spanish reader."""
    assert "Inyecciones de toxina botulínica: qué esperar" in _search_es(client, "inyecciones")
    assert "Ejercicios en casa, calor y masaje" in _search_es(client, "calor")
    assert "Distonía cervical (tortícolis espasmódica)" in _search_es(client, "distonia")
    assert 'class="result"' in _search_es(client, "tremor")
