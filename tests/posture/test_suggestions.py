"""TWSTRS band boundaries (Consky & Lang 1994, clinical.md §1.1 A)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.posture.suggestions import (
    antero_retrocollis_grade,
    laterocollis_grade,
    rotation_grade,
    shoulder_elevation_grade,
    suggest_severity,
)


@pytest.mark.parametrize(
    ("degrees", "grade"),
    [(0, 0), (0.4, 0), (1, 1), (22, 1), (22.4, 1), (23, 2), (45, 2), (46, 3), (67, 3), (68, 4),
     (90, 4), (120, 4)],
)  # fmt: skip
def test_rotation_bands(degrees: float, grade: int) -> None:
    assert rotation_grade(degrees) == grade
    assert rotation_grade(-degrees) == grade  # either direction


@pytest.mark.parametrize(
    ("degrees", "grade"), [(0, 0), (1, 1), (15, 1), (16, 2), (35, 2), (36, 3), (80, 3)]
)
def test_laterocollis_bands(degrees: float, grade: int) -> None:
    assert laterocollis_grade(degrees) == grade
    assert laterocollis_grade(-degrees) == grade


def test_half_degrees_round_up_into_the_next_band() -> None:
    assert rotation_grade(22.5) == 2
    assert laterocollis_grade(15.5) == 2
    assert laterocollis_grade(0.5) == 1


@given(st.floats(-180, 180))
def test_grades_stay_in_scale_range(degrees: float) -> None:
    assert 0 <= rotation_grade(degrees) <= 4
    assert 0 <= laterocollis_grade(degrees) <= 3
    assert 0 <= antero_retrocollis_grade(degrees) <= 3
    assert 0 <= shoulder_elevation_grade(degrees) <= 3


@given(st.floats(0, 179), st.floats(0, 1))
def test_grades_never_fall_as_the_angle_grows(degrees: float, extra: float) -> None:
    assert rotation_grade(degrees + extra) >= rotation_grade(degrees)
    assert laterocollis_grade(degrees + extra) >= laterocollis_grade(degrees)


def test_suggestions_flag_approximate_items_and_skip_unknown_ones() -> None:
    items = {
        s.item: s
        for s in suggest_severity(
            rotation_deg=30,
            laterocollis_deg=-14,
            flexion_deg=-30,
            lateral_shift=True,
            sagittal_shift=None,
            shoulder_elevation_deg=None,
        )
    }
    assert set(items) == {"rotation", "laterocollis", "anterocollis_retrocollis", "lateral_shift"}
    assert (items["rotation"].grade, items["rotation"].approximate) == (2, False)
    assert items["laterocollis"].grade == 1
    assert items["laterocollis"].near_boundary  # 14° is within 4° of the 15/16 edge
    assert not items["rotation"].near_boundary
    assert items["anterocollis_retrocollis"].approximate
    assert items["anterocollis_retrocollis"].grade == 2  # 30° of an assumed 60° extension
    assert items["lateral_shift"].grade == 1
    assert all(s.suggestion for s in items.values())


def test_noise_floor_a_fraction_of_a_degree_never_suggests_grade_1() -> None:
    """Issue #14: 0.8° rotation suggested grade 1; the engine's own error is ±4°."""
    items = {
        s.item: s
        for s in suggest_severity(
            rotation_deg=0.8,
            laterocollis_deg=-2.6,
            flexion_deg=3.4,
            lateral_shift=None,
            sagittal_shift=None,
            shoulder_elevation_deg=None,
            measured_as="sustained maximal excursion, head on trunk",
        )  # fmt: skip
    }
    for name in ("rotation", "laterocollis", "anterocollis_retrocollis"):
        assert items[name].grade == 0 and items[name].near_boundary
        assert "measurement error" in items[name].basis
    assert "sustained maximal excursion, head on trunk" in items["rotation"].basis
    above = suggest_severity(
        rotation_deg=6.0, laterocollis_deg=-5.0, flexion_deg=0.0, lateral_shift=None,
        sagittal_shift=None, shoulder_elevation_deg=None,
    )  # fmt: skip
    assert [s.grade for s in above[:2]] == [1, 1]
