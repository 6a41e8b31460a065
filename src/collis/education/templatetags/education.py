"""``{% load education %}``: education pages in the reader's language on other apps' pages
(a template library, so apps below education never import it)."""

from __future__ import annotations

from django import template

from collis.education.views import localise

register = template.Library()


@register.filter
def in_reader_language(pages):  # noqa: ANN001, ANN201 (pages of education.Page)
    """The pages with their title and summary in the reader's language where one ships."""
    return localise(list(pages))
