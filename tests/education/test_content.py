import pytest

from collis.education.content import parse_page, shipped_pages


def test_shipped_pages_cover_condition_treatment_and_self_care():
    pages = {p.slug: p for p in shipped_pages()}
    assert {"cervical-dystonia", "botulinum-toxin-treatment", "home-exercises-heat-massage"} <= set(
        pages
    )
    condition = pages["cervical-dystonia"].body.lower()
    for topic in (
        "torticollis",
        "laterocollis",
        "anterocollis",
        "retrocollis",
        "tremor",
        "sensory trick",
        "botulinum",
        "physical therapy",
        "heat",
        "massage",
        "deep brain stimulation",
        "when to book",
    ):
        assert topic in condition, topic


def test_front_matter_errors_name_the_problem():
    with pytest.raises(ValueError, match="missing front matter"):
        parse_page("x", "# no header")
    with pytest.raises(ValueError, match="not closed"):
        parse_page("x", "---\ntitle: a\n")
    with pytest.raises(ValueError, match="'summary'"):
        parse_page("x", "---\ntitle: a\nkind: condition\n---\nbody")


def _grade(text: str) -> float:
    """Flesch-Kincaid grade of plain text (vowel-group syllables; rough, for a ceiling only)."""
    import re

    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    sentences = max(1, len(re.findall(r"[.!?](?:\s|$)", text)))
    syllables = sum(max(1, len(re.findall(r"[aeiouy]+", w.lower().rstrip("e")))) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def _section(body: str, heading: str) -> str:
    start = body.index(f"## {heading}")
    end = body.find("\n## ", start + 3)
    return body[start : end if end != -1 else None]


def test_breathing_trouble_means_emergency_services_on_both_pages():
    pages = {p.slug: p.body for p in shipped_pages()}
    for slug in ("cervical-dystonia", "botulinum-toxin-treatment"):
        assert "call 911 (emergency services)" in pages[slug].lower(), slug
    assert (
        "Tell the clinic at once if you have trouble swallowing or breathing"
        not in (pages["cervical-dystonia"])
    )


def test_condition_page_has_causes_and_red_flags():
    body = {p.slug: p.body for p in shipped_pages()}["cervical-dystonia"]
    causes = _section(body, "What causes it").lower()
    for cause in ("idiopathic", "genes", "tardive", "injury"):
        assert cause in causes, cause
    flags = _section(body, "Get help the same day if").lower()
    for flag in ("new medicine", "fever and a stiff neck", "weakness or numbness", "child"):
        assert flag in flags, flag


def test_toxin_page_has_before_list_late_spread_and_driving():
    body = {p.slug: p.body for p in shipped_pages()}["botulinum-toxin-treatment"]
    before = _section(body, "Before your injection, tell your doctor").lower()
    for item in ("myasthenia gravis", "als", "blood thinner", "antibiotic", "pregnant", "wrinkles"):
        assert item in before, item
    assert "hours to weeks" in body and "do not drive" in body


@pytest.mark.parametrize(
    ("slug", "heading"),
    [
        ("cervical-dystonia", "What causes it"),
        ("cervical-dystonia", "Get help the same day if"),
        ("botulinum-toxin-treatment", "Before your injection, tell your doctor"),
        ("botulinum-toxin-treatment", "Side effects to watch for"),
    ],
)
def test_new_sections_read_at_grade_8_or_below(slug, heading):
    body = {p.slug: p.body for p in shipped_pages()}[slug]
    assert _grade(_section(body, heading)) <= 8.0
