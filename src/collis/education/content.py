"""Load the education pages that ship with Collis (``content/*.md`` with a small front matter).

Pure: no Django imports. Front matter is ``key: value`` lines between ``---`` markers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class PageSource:
    slug: str
    title: str
    kind: str
    summary: str
    body: str
    featured: bool
    order: int


def parse_page(slug: str, text: str) -> PageSource:
    """Split front matter from the Markdown body; raise ValueError naming what is missing."""
    if not text.startswith("---\n"):
        raise ValueError(f"{slug}: missing front matter")
    header, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise ValueError(f"{slug}: front matter is not closed with ---")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            meta[key.strip()] = value.strip().strip('"')
    for key in ("title", "kind", "summary"):
        if not meta.get(key):
            raise ValueError(f"{slug}: front matter lacks {key!r}")
    return PageSource(
        slug=slug,
        title=meta["title"],
        kind=meta["kind"],
        summary=meta["summary"],
        body=body.strip() + "\n",
        featured=meta.get("featured", "false").lower() == "true",
        order=int(meta.get("order", "0")),
    )


def shipped_pages() -> list[PageSource]:
    return [
        parse_page(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CONTENT_DIR.glob("*.md"))
    ]
