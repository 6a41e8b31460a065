"""Education pages shown on the public site."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from collis.education.markup import render_markdown
from collis.providers.models import Clinician


class PageQuerySet(models.QuerySet):
    def published(self) -> PageQuerySet:
        return self.filter(is_published=True)


class Page(models.Model):
    class Kind(models.TextChoices):
        CONDITION = "condition", _("Condition")
        TREATMENT = "treatment", _("Treatment")
        SELF_CARE = "self_care", _("Self-care and home programme")

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONDITION)
    summary = models.CharField(max_length=300, help_text="One or two sentences for listings.")
    body = models.TextField(help_text="Markdown. HTML is sanitised when shown.")
    related_providers = models.ManyToManyField(
        Clinician, related_name="education_pages", blank=True
    )
    featured = models.BooleanField(default=False, help_text="Show on the home page.")
    is_published = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:page-detail", kwargs={"slug": self.slug})

    @property
    def body_html(self) -> SafeString:
        # Rendering and sanitising cost ~10 ms a view; the result only changes when the page is
        # saved, so it is cached under the page's last-saved time.
        key = (
            f"education:page-html:{self.pk}:{self.updated_at.timestamp() if self.updated_at else 0}"
        )
        html = cache.get(key)
        if html is None:
            html = render_markdown(self.body)
            cache.set(key, html, timeout=24 * 3600)
        # Safe only because render_markdown sanitises with an allow-list.
        return mark_safe(html)  # noqa: S308
