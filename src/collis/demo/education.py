from collis.demo.context import DemoContext
from collis.education.content import shipped_pages
from collis.education.models import Page
from collis.providers.models import Clinician


def seed(ctx: DemoContext) -> None:
    treating = list(Clinician.objects.filter(conditions_treated__icontains="cervical dystonia"))
    for source in shipped_pages():
        page, created = Page.objects.get_or_create(
            slug=source.slug,
            defaults={
                "title": source.title,
                "kind": source.kind,
                "summary": source.summary,
                "body": source.body,
                "featured": source.featured,
                "order": source.order,
            },
        )
        if created:
            page.related_providers.set(treating)
