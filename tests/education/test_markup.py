"""Markdown rendering is safe for patients' browsers."""

import pytest

from collis.education.markup import render_markdown


def test_renders_headings_lists_and_tables():
    html = render_markdown("## Pain\n\n- neck\n- shoulder\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Pain</h2>" in html
    assert "<li>neck</li>" in html
    assert "<table>" in html and "<td>1</td>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<iframe src='https://evil.example'></iframe>",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_strips_scripts_handlers_and_javascript_urls(hostile):
    html = render_markdown(hostile).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onload" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "style=" not in html


def test_links_get_noopener():
    html = render_markdown("[Dystonia foundation](https://dystonia.example)")
    assert 'href="https://dystonia.example"' in html
    assert "noopener" in html
