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
