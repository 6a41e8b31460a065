"""Full-text search with stemming, in the database: PostgreSQL text search or SQLite FTS5.

The documents are small collections (education pages, clinicians), passed in as
``(id, text)`` pairs; the database stems and ranks them for one query:

- PostgreSQL: ``to_tsvector('english', text) @@ plainto_tsquery('english', query)``, ranked by
  ``ts_rank`` (Snowball English stemmer: "exercises" finds "exercise").
- SQLite: a temporary FTS5 table with the ``porter`` tokenizer, ranked by ``bm25``.

Every word must match; when that finds nothing, any word may (ranked), so a long question still
finds something. No module here imports an app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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


def words(query: str) -> list[str]:
    found = [w.lower() for w in _WORD.findall(query)]
    return [w for w in found if w not in _STOP][:12] or found[:12]


def rank(documents: Iterable[tuple[int, str]], query: str, *, limit: int = 20) -> list[int]:
    """Return the ids of the documents matching ``query``, best first."""
    terms = words(query)
    docs: Sequence[tuple[int, str]] = list(documents)
    if not terms or not docs:
        return []
    search = _postgres if connection.vendor == "postgresql" else _sqlite
    return search(docs, terms, every=True, limit=limit) or search(
        docs, terms, every=False, limit=limit
    )


def _postgres(
    docs: Sequence[tuple[int, str]], terms: list[str], *, every: bool, limit: int
) -> list[int]:
    joiner = " && " if every else " || "
    # Each word through plainto_tsquery (no query syntax from users), then joined.
    query = joiner.join(["plainto_tsquery('english', %s)"] * len(terms))
    values = ", ".join(["(%s, %s)"] * len(docs))
    sql = (
        f"SELECT id FROM (VALUES {values}) AS d(id, body), (SELECT {query}) AS q(q) "  # noqa: S608 placeholders only
        "WHERE to_tsvector('english', body) @@ q "
        "ORDER BY ts_rank(to_tsvector('english', body), q) DESC, id LIMIT %s"
    )
    params: list[object] = [v for doc in docs for v in (int(doc[0]), doc[1])]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *terms, limit])
        return [row[0] for row in cursor.fetchall()]


def _sqlite(
    docs: Sequence[tuple[int, str]], terms: list[str], *, every: bool, limit: int
) -> list[int]:
    match = (" AND " if every else " OR ").join('"' + t.replace('"', "") + '"' for t in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.collis_fulltext "
            "USING fts5(doc_id UNINDEXED, body, tokenize='porter unicode61')"
        )
        cursor.execute("DELETE FROM temp.collis_fulltext")
        cursor.executemany(
            "INSERT INTO temp.collis_fulltext (doc_id, body) VALUES (%s, %s)",
            [(int(i), text) for i, text in docs],
        )
        cursor.execute(
            "SELECT doc_id FROM temp.collis_fulltext WHERE collis_fulltext MATCH %s "
            "ORDER BY bm25(collis_fulltext), doc_id LIMIT %s",
            [match, limit],
        )
        found = [int(row[0]) for row in cursor.fetchall()]
        cursor.execute("DELETE FROM temp.collis_fulltext")
    return found
