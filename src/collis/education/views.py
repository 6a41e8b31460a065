from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from collis.education.content import page_translation
from collis.education.markup import render_markdown
from collis.education.models import Page


def localise(pages, *, with_body: bool = False):
    """Show each page in the reader's language where a translation ships with Collis.

    Sets ``title`` and ``summary`` in memory (never saved) and ``translation`` (None in English);
    ``with_body`` also renders the translated Markdown into ``translated_html``.
    """
    language = translation.get_language() or ""
    for page in pages:
        page.translation = None
        if language.split("-")[0] == "en":
            continue
        found = page_translation(page.slug, language.split("-")[0])
        if found is None:
            continue
        page.translation = found
        page.title, page.summary = found.title, found.summary
        if with_body:
            # Safe: render_markdown sanitises with an allow-list.
            page.translated_html = mark_safe(render_markdown(found.body))  # noqa: S308  # nosec B308 B703 - sanitised
    return pages


def page_list(request: HttpRequest) -> HttpResponse:
    # Lazy: not built when the list comes from the fragment cache (collis.lib.fragments).
    return render(request, "education/page_list.html", {"groups": SimpleLazyObject(_groups)})


def _groups() -> list:
    pages = localise(list(Page.objects.published()))
    groups = [(label, [p for p in pages if p.kind == kind]) for kind, label in Page.Kind.choices]
    return [g for g in groups if g[1]]


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), slug=slug)
    localise([page], with_body=True)
    providers = page.related_providers.filter(is_active=True).prefetch_related("specialties")
    others = SimpleLazyObject(
        lambda: localise(list(Page.objects.published().exclude(pk=page.pk)[:5]))
    )
    return render(
        request,
        "education/page_detail.html",
        {"page": page, "providers": providers, "others": others},
    )
