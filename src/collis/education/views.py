from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from collis.education.models import Page


def page_list(request: HttpRequest) -> HttpResponse:
    pages = Page.objects.published()
    groups = [(label, [p for p in pages if p.kind == kind]) for kind, label in Page.Kind.choices]
    return render(request, "education/page_list.html", {"groups": [g for g in groups if g[1]]})


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), slug=slug)
    providers = page.related_providers.filter(is_active=True).prefetch_related("specialties")
    others = Page.objects.published().exclude(pk=page.pk)[:5]
    return render(
        request,
        "education/page_detail.html",
        {"page": page, "providers": providers, "others": others},
    )
