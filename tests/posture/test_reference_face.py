"""The packaged reference face and the symmetrisation that built it."""

from __future__ import annotations

import numpy as np
import pytest

from collis.posture.geometry import (
    CameraAngles,
    euler_from_rotation,
    fit_similarity,
    rotation_from_euler,
)
from collis.posture.reference_face import (
    LEFT_EYE_OUTER,
    RIGHT_EYE_OUTER,
    load_reference_face,
    mirror_permutation,
    symmetrise,
)

MIRROR = np.diag([-1.0, 1.0, 1.0])


def test_reference_is_mirror_symmetric_about_x_zero() -> None:
    ref = load_reference_face()
    perm = ref.mirror_index
    assert ref.vertices.shape == (468, 3)
    assert np.array_equal(perm[perm], np.arange(468))  # pairs are an involution
    assert np.allclose(ref.vertices[perm] @ MIRROR, ref.vertices, atol=1e-5)
    assert perm[RIGHT_EYE_OUTER] == LEFT_EYE_OUTER
    distance = np.linalg.norm(ref.vertices[LEFT_EYE_OUTER] - ref.vertices[RIGHT_EYE_OUTER])
    assert distance == pytest.approx(1.0, abs=1e-5)


def test_rigid_region_excludes_mouth_and_keeps_nose() -> None:
    ref = load_reference_face()
    assert ref.rigid_weight[1] == 1  # nose tip
    assert ref.rigid_weight[13] == 0  # inner upper lip
    assert ref.rigid_weight[152] == 0  # chin
    assert 150 < ref.rigid_weight.sum() < 400


def test_symmetrise_removes_yaw_and_roll_of_a_turned_face() -> None:
    ref = load_reference_face()
    turned = ref.vertices @ rotation_from_euler(CameraAngles(12.0, 0.0, -7.0)).T
    noisy = turned + np.random.default_rng(3).normal(0, 0.002, turned.shape)
    rebuilt = symmetrise(noisy, ref.mirror_index)
    fit = fit_similarity(ref.vertices, rebuilt, np.ones(468))
    angles = euler_from_rotation(fit.rotation)
    assert abs(angles.yaw_deg) < 0.3 and abs(angles.roll_deg) < 0.3


def test_mirror_permutation_is_found_from_a_mirrored_measurement() -> None:
    ref = load_reference_face()
    face = ref.vertices @ rotation_from_euler(CameraAngles(5.0, 3.0, 2.0)).T
    # What the landmarker reports on the flipped photo, mapped back: point i sits on i's partner.
    mirrored_measurement = face[ref.mirror_index]
    assert np.array_equal(mirror_permutation(face, mirrored_measurement), ref.mirror_index)
