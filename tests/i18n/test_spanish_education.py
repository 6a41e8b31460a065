"""Spanish education pages: shipped, medically the same, dated, and flagged when outdated."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from collis.education import content
from collis.education.content import page_translation, shipped_pages
from collis.education.models import Page

from .test_spanish_pages import english_words


@pytest.fixture
def shipped(db):
    for source in shipped_pages():
        Page.objects.create(
            slug=source.slug,
            title=source.title,
            kind=source.kind,
            summary=source.summary,
            body=source.body,
            featured=source.featured,
            order=source.order,
        )


def test_every_shipped_page_has_a_current_spanish_translation():
    for page in shipped_pages():
        spanish = page_translation(page.slug, "es")
        assert spanish is not None, f"{page.slug} has no Spanish version"
        assert not spanish.is_outdated, f"{page.slug}: the Spanish is older than the English"
        # Medically the same: the same sections, numbers and product names.
        assert spanish.body.count("\n## ") == page.body.count("\n## "), page.slug
        numbers = re.compile(r"\b\d+(?:[,.]\d+)?\b")
        assert sorted(numbers.findall(spanish.body.replace("100,000", "100000"))) == sorted(
            numbers.findall(page.body.replace("100,000", "100000"))
        ), page.slug
        for brand in ("Botox", "Dysport", "Xeomin", "Myobloc", "Daxxify", "911"):
            assert page.body.count(brand) == spanish.body.count(brand), (page.slug, brand)


def test_spanish_pages_keep_the_emergency_advice():
    for slug in ("cervical-dystonia", "botulinum-toxin-treatment"):
        body = page_translation(slug, "es").body
        assert "911" in body and "respirar, hablar o tragar" in body


@pytest.mark.django_db
def test_condition_pages_render_in_spanish_with_a_translation_note(client, shipped):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    listing = client.get(reverse("education:page-list")).content.decode()
    assert "Distonía cervical (tortícolis espasmódica)" in listing
    assert english_words(listing) == []
    for page in shipped_pages():
        html = client.get(reverse("education:page-detail", args=[page.slug])).content.decode()
        assert '<html lang="es">' in html
        assert 'data-testid="translation-note"' in html
        assert "Traducido el 2026-11-30 a partir de la página en inglés del 2026-11-30." in html
        assert 'data-testid="translation-outdated"' not in html
        assert english_words(html) == [], (page.slug, english_words(html))
    english = client.get(
        reverse("education:page-detail", args=["cervical-dystonia"]), HTTP_COOKIE=""
    )
    assert english.status_code == 200


def test_a_translation_older_than_the_english_says_so(tmp_path, monkeypatch):
    (tmp_path / "es").mkdir()
    (tmp_path / "p.md").write_text(
        "---\nrevised: 2027-01-15\ntitle: P\nkind: condition\nsummary: S\n---\nBody\n"
    )
    (tmp_path / "es" / "p.md").write_text(
        "---\ntranslates: 2026-11-30\ntranslated: 2026-12-01\n"
        "title: P es\nsummary: S es\n---\nCuerpo\n"
    )
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    spanish = page_translation("p", "es")
    assert spanish.is_outdated and spanish.english_revised == "2027-01-15"
    assert page_translation("p", "fr") is None
    assert page_translation("../p", "es") is None


@pytest.mark.django_db
def test_an_outdated_translation_shows_a_warning(client, shipped, monkeypatch):
    real = page_translation

    def older(slug, language):
        found = real(slug, language)
        return found and type(found)(**{**found.__dict__, "english_revised": "2099-01-01"})

    monkeypatch.setattr("collis.education.views.page_translation", older)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("education:page-detail", args=["cervical-dystonia"])).content
    assert b'data-testid="translation-outdated"' in html
    assert "La página en inglés se actualizó el 2099-01-01" in html.decode()
