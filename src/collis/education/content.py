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


@dataclass(frozen=True)
class PageTranslation:
    """A shipped page in another language (``content/<language>/<slug>.md``).

    ``translates`` is the ``revised`` date of the English file it was translated from;
    ``translated`` is when. The English file's own ``revised`` tells whether it is out of date.
    """

    slug: str
    language: str
    title: str
    summary: str
    body: str
    translates: str
    translated: str
    english_revised: str

    @property
    def is_outdated(self) -> bool:
        return bool(self.english_revised) and self.translates < self.english_revised


def _front_matter(text: str) -> dict[str, str]:
    header = text[4:].partition("\n---\n")[0] if text.startswith("---\n") else ""
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            meta[key.strip()] = value.strip().strip('"')
    return meta


def page_translation(slug: str, language: str) -> PageTranslation | None:
    """The ``language`` version of shipped page ``slug``, or None when there is none."""
    if not slug or "/" in slug or not language.isalpha():
        return None
    path = CONTENT_DIR / language / f"{slug}.md"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    page = parse_page(slug, text.replace("---\n", "---\nkind: translation\n", 1))
    meta = _front_matter(text)
    english = CONTENT_DIR / f"{slug}.md"
    english_meta = _front_matter(english.read_text(encoding="utf-8")) if english.is_file() else {}
    for key in ("translates", "translated"):
        if not meta.get(key):
            raise ValueError(f"{language}/{slug}: front matter lacks {key!r}")
    return PageTranslation(
        slug=slug,
        language=language,
        title=page.title,
        summary=page.summary,
        body=page.body,
        translates=meta["translates"],
        translated=meta["translated"],
        english_revised=english_meta.get("revised", ""),
    )
