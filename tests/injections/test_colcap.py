"""Col-Cap muscle suggestions: a starting list for the clinician, per side."""

from collis.injections.colcap import (
    ColCapForm,
    PostureComponent,
    Side,
    suggest_muscles,
)
from collis.injections.dosing import suggestions_as_drafts


def core(suggestions):
    return {(s.muscle, s.side) for s in suggestions.muscles if not s.optional}


def test_left_torticaput_suggests_left_splenius_right_scm_left_oci():
    result = suggest_muscles([PostureComponent(ColCapForm.TORTICAPUT, Side.LEFT)])
    assert core(result) == {
        ("splenius_capitis", Side.LEFT),
        ("scm", Side.RIGHT),
        ("obliquus_capitis_inferior", Side.LEFT),
    }
    optional = {(s.muscle, s.side) for s in result.muscles if s.optional}
    assert ("trapezius", Side.RIGHT) in optional
    assert all(s.evidence == "V" for s in result.muscles if not s.optional)


def test_right_laterocaput_is_ipsilateral():
    result = suggest_muscles([PostureComponent(ColCapForm.LATEROCAPUT, Side.RIGHT)])
    assert core(result) == {
        ("scm", Side.RIGHT),
        ("splenius_capitis", Side.RIGHT),
        ("trapezius", Side.RIGHT),
    }


def test_anterocollis_is_bilateral_and_notes_halving_scm_and_dysphagia():
    result = suggest_muscles([PostureComponent(ColCapForm.ANTEROCOLLIS)])
    assert ("longus_colli", Side.LEFT) in core(result)
    assert ("longus_colli", Side.RIGHT) in core(result)
    assert any("halving" in note for note in result.notes)
    assert any("dysphagia" in note for note in result.notes)


def test_combined_forms_merge_reasons_and_keep_the_strongest_evidence():
    result = suggest_muscles(
        [
            PostureComponent(ColCapForm.TORTICAPUT, Side.LEFT),
            PostureComponent(ColCapForm.LATEROCAPUT, Side.LEFT),
        ]
    )
    splenius = next(
        s for s in result.muscles if s.muscle == "splenius_capitis" and s.side is Side.LEFT
    )
    assert splenius.reasons == ("Torticaput", "Laterocaput")
    scm_sides = {s.side for s in result.muscles if s.muscle == "scm" and not s.optional}
    assert scm_sides == {Side.LEFT, Side.RIGHT}


def test_lateral_shift_expands_to_laterocollis_and_opposite_laterocaput():
    result = suggest_muscles([PostureComponent(ColCapForm.LATERAL_SHIFT, Side.RIGHT)])
    assert ("levator_scapulae", Side.RIGHT) in core(result)  # laterocollis right
    assert ("scm", Side.LEFT) in core(result)  # laterocaput left
    assert result.notes


def test_sagittal_shift_is_anterocollis_plus_retrocaput():
    result = suggest_muscles([PostureComponent(ColCapForm.SAGITTAL_SHIFT)])
    muscles = {m for m, _ in core(result)}
    assert {"longus_colli", "splenius_capitis", "semispinalis_capitis"} <= muscles


def test_sided_form_without_side_suggests_both_sides():
    result = suggest_muscles([PostureComponent(ColCapForm.TORTICOLLIS)])
    assert ("levator_scapulae", Side.LEFT) in core(result)
    assert ("levator_scapulae", Side.RIGHT) in core(result)


def test_every_form_has_suggestions_and_core_muscles_come_first():
    for form in ColCapForm:
        result = suggest_muscles([PostureComponent(form, Side.LEFT)])
        assert result.muscles, form
        flags = [s.optional for s in result.muscles]
        assert flags == sorted(flags)


def test_drafts_have_no_units():
    drafts = suggestions_as_drafts(
        suggest_muscles([PostureComponent(ColCapForm.TORTICAPUT, Side.RIGHT)])
    )
    assert drafts and all(d.units is None for d in drafts)


def test_no_pattern_no_suggestions():
    assert suggest_muscles([]).muscles == ()


def test_lateral_shift_without_a_side_assumes_no_side():
    """A lateral shift with no recorded side suggests both sides and says so (never left)."""
    result = suggest_muscles([PostureComponent(ColCapForm.LATERAL_SHIFT)])
    sides = {(s.muscle, s.side) for s in result.muscles}
    assert ("levator_scapulae", Side.LEFT) in sides and ("levator_scapulae", Side.RIGHT) in sides
    assert ("scm", Side.LEFT) in sides and ("scm", Side.RIGHT) in sides
    assert any("no side recorded" in note for note in result.notes)
