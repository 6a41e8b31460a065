"""Posture-analysis grades become TWSTRS suggestions, never silently clamped."""

from collis.scales.posture_grades import initial_values, suggest_twstrs_from_posture


def test_maps_posture_items_to_twstrs_suggestions():
    suggestions = suggest_twstrs_from_posture(
        {"rotation": 2, "laterocollis": 1, "anterocollis_retrocollis": 0, "lateral_shift": 1}
    )
    assert initial_values(suggestions) == {
        "rotation": 2,
        "laterocollis": 1,
        "anterocollis_retrocollis": 0,
        "lateral_shift": 1,
    }
    assert all(s.source == "posture analysis" for s in suggestions.values())


def test_aliases_are_understood():
    assert initial_values(suggest_twstrs_from_posture({"tilt": 3, "retrocollis": 2})) == {
        "laterocollis": 3,
        "anterocollis_retrocollis": 2,
    }


def test_drops_unknown_items_out_of_range_and_non_integers():
    suggestions = suggest_twstrs_from_posture(
        {"rotation": 5, "laterocollis": True, "sagittal_shift": 1.0, "work": 2, "tremor": 1}
    )
    assert suggestions == {}
