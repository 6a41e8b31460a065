"""Full-text search with stemming, in the database: PostgreSQL text search or SQLite FTS5.

The documents are small collections (education pages, clinicians), passed in as
``(id, text)`` pairs in one ``language``; the database stems and ranks them for one query:

- PostgreSQL: ``to_tsvector(config, text) @@ plainto_tsquery(config, query)``, ranked by
  ``ts_rank``, with the language's configuration: ``english`` (Snowball English stemmer:
  "exercises" finds "exercise") or ``spanish`` (Snowball Spanish: "inyecciones" finds
  "inyección"); ``simple`` (no stemming) for any other language.
- SQLite: a temporary FTS5 table ranked by ``bm25``: English through the ``porter`` tokenizer;
  Spanish stemmed here with Snowball's Spanish stemmer (``snowballstemmer``, the same algorithm
  PostgreSQL's ``spanish`` configuration uses), other languages unstemmed.

Spanish is also accent-insensitive on both ("inyeccion" finds "inyección", "distonia" finds
"distonía"): each document is indexed as written and without its accents, and the query's words
are looked up without theirs (PostgreSQL's own stemmer keeps the accent on some stems).

Every word must match; when that finds nothing, any word may (ranked), so a long question still
finds something. No module here imports an app.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache

import snowballstemmer
from django.db import connection

_WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to narrow a search (PostgreSQL's English configuration drops them too).
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "when",
        "with",
    ]
)


# Spanish words too common to narrow a search (a short list; PostgreSQL's spanish configuration
# drops these and more).
_STOP_ES = frozenset(
    ["a", "al", "como", "con", "de", "del", "el", "en", "es", "la", "las", "lo", "los", "mi",
     "o", "para", "por", "que", "qué", "se", "su", "sus", "un", "una", "y"]
)  # fmt: skip
# PostgreSQL text search configurations by language code (a fixed list: never user input).
_PG_CONFIG = {"en": "english", "es": "spanish"}


def words(query: str, language: str = "en") -> list[str]:
    found = [w.lower() for w in _WORD.findall(query)]
    stop = _STOP_ES if language == "es" else _STOP
    return [w for w in found if w not in stop][:12] or found[:12]


def unaccented(text: str) -> str:
    """``text`` without accents (á → a, ü → u, ñ → n): for accent-insensitive Spanish search."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _spanish_stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("spanish")


def spanish_stems(text: str) -> list[str]:
    """The Snowball Spanish stems of ``text``'s words, each as written and unaccented."""
    stem = _spanish_stemmer().stemWord
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        plain = unaccented(word)
        out += [stem(word), stem(plain)] if plain != word else [stem(word)]
    return out


def rank(
    documents: Iterable[tuple[int, str]], query: str, *, limit: int = 20, language: str = "en"
) -> list[int]:
    """Return the ids of the documents matching ``query``, best first, stemmed as ``language``
    (a code: "en", "es"; others are matched word for word)."""
    terms = words(query, language)
    docs: Sequence[tuple[int, str]] = list(documents)
    if not terms or not docs:
        return []
    search = _postgres if connection.vendor == "postgresql" else _sqlite
    return search(docs, terms, language, every=True, limit=limit) or search(
        docs, terms, language, every=False, limit=limit
    )


def _postgres(
    docs: Sequence[tuple[int, str]], terms: list[str], language: str, *, every: bool, limit: int
) -> list[int]:
    config = _PG_CONFIG.get(language, "simple")
    joiner = " && " if every else " || "
    # Each word through plainto_tsquery (no query syntax from users), then joined.
    query = joiner.join([f"plainto_tsquery('{config}', %s)"] * len(terms))
    values = ", ".join(["(%s, %s, %s)"] * len(docs))
    vector = f"to_tsvector('{config}', body)"
    if language == "es":
        # The text as written and unaccented, so "distonia" finds "distonía" (query unaccented).
        vector = f"({vector} || to_tsvector('{config}', plain))"
        terms = [unaccented(t) for t in terms]
    sql = (
        f"SELECT id FROM (VALUES {values}) AS d(id, body, plain), (SELECT {query}) AS q(q) "  # noqa: S608 fixed configs and placeholders only
        f"WHERE {vector} @@ q "
        f"ORDER BY ts_rank({vector}, q) DESC, id LIMIT %s"
    )
    params: list[object] = [v for doc in docs for v in (int(doc[0]), doc[1], unaccented(doc[1]))]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *terms, limit])
        return [row[0] for row in cursor.fetchall()]


def _sqlite(
    docs: Sequence[tuple[int, str]], terms: list[str], language: str, *, every: bool, limit: int
) -> list[int]:
    if language == "es":
        # Stemmed here: the index holds Snowball stems; each query word its unaccented stem.
        rows = [(int(i), " ".join(spanish_stems(text))) for i, text in docs]
        terms = [_spanish_stemmer().stemWord(unaccented(t)) for t in terms]
        tokenizer, table = "unicode61", "collis_fulltext_plain"
    elif language == "en":
        rows, tokenizer, table = [(int(i), text) for i, text in docs], "porter unicode61", ""
    else:
        rows, tokenizer, table = [(int(i), text) for i, text in docs], "unicode61", ""
    table = table or ("collis_fulltext" if language == "en" else "collis_fulltext_plain")
    match = (" AND " if every else " OR ").join('"' + t.replace('"', "") + '"' for t in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table} "
            f"USING fts5(doc_id UNINDEXED, body, tokenize='{tokenizer}')"
        )
        cursor.execute(f"DELETE FROM temp.{table}")  # noqa: S608  # nosec B608 - fixed table names only
        cursor.executemany(
            f"INSERT INTO temp.{table} (doc_id, body) VALUES (%s, %s)",  # noqa: S608  # nosec B608 - fixed table names only
            rows,
        )
        cursor.execute(
            f"SELECT doc_id FROM temp.{table} WHERE {table} MATCH %s "  # noqa: S608  # nosec B608 - fixed table names only
            f"ORDER BY bm25({table}), doc_id LIMIT %s",
            [match, limit],
        )
        found = [int(row[0]) for row in cursor.fetchall()]
        cursor.execute(f"DELETE FROM temp.{table}")  # noqa: S608  # nosec B608 - fixed table names only
    return found
