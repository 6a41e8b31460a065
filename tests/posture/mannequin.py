"""A shaded 3-D mannequin trunk for the synthetic clips: torso, shoulder caps and upper arms.

The photo cut-out trunk of head_render.py comes from a photo whose body is itself turned, and its
turn is a wrap on an elliptic cylinder, so BlazePose's trunk yaw on it says little about
BlazePose. This trunk is built in 3-D instead and turned about the spine: a superelliptic torso
that widens from the neck over the trapezius to the shoulders, and two upper arms (cylinders
with a rounded top) hanging from the shoulder joints, in a plain shirt colour with Lambert
shading. Seen from the front it is left-right symmetric, so a zero turn is truly frontal.

Units are face widths (the rendered face's width in pixels). Sizes are own estimates for an
adult: shoulders ~2.5 face widths across the arms, chest depth ~0.75 of a face width each way.
Model axes: x toward the patient's left (the image right, unmirrored), y down, z away from the
camera; a turn > 0 takes the patient's left shoulder away from the camera (head-rotation sign).
"""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

SHIRT_RGB = np.array([70.0, 100.0, 160.0])
# Light from the camera side, above: a frontal trunk is shaded symmetrically.
LIGHT = np.array([0.0, -0.55, -1.0]) / math.hypot(0.55, 1.0)
AMBIENT = 0.35
# Superellipse exponent of the torso's cross-section (2 is an ellipse; larger is boxier).
TORSO_SQUARENESS = 2.6
ARM_RADIUS = 0.40
SHOULDER_JOINT_X = 1.22
SHOULDER_JOINT_Y = 0.55


@functools.cache
def mesh() -> tuple[FloatArray, IntArray, FloatArray]:
    """Vertices (n, 3), triangles (m, 3) and, per vertex, the centre of its cross-section
    (outward normals point away from it)."""
    parts = [_torso(), _arm(1.0), _arm(-1.0)]
    vertices, triangles, centres, offset = [], [], [], 0
    for v, t, c in parts:
        vertices.append(v)
        triangles.append(t + offset)
        centres.append(c)
        offset += len(v)
    return np.concatenate(vertices), np.concatenate(triangles), np.concatenate(centres)


def draw(
    canvas: NDArray[np.uint8],
    unit_px: float,
    neck: FloatArray,
    lean: FloatArray,
    turn_deg: float,
) -> None:
    """Paint the mannequin: ``neck`` is the image point of the neck base, ``lean`` the trunk's
    2×2 in-plane rotation, ``turn_deg`` its turn about the spine (painter's order, far first)."""
    vertices, triangles, centres = mesh()
    turned, turned_centres = _turn(vertices, turn_deg), _turn(centres, turn_deg)
    a, b, c = (turned[triangles[:, i]] for i in range(3))
    normals = np.cross(b - a, c - a)
    length = np.linalg.norm(normals, axis=1)
    solid = length > 1e-12
    normals[solid] /= length[solid, None]
    middle = (a + b + c) / 3
    outward = middle - turned_centres[triangles].mean(axis=1)
    normals[np.einsum("ij,ij->i", normals, outward) < 0] *= -1
    facing = solid & (normals[:, 2] < 0)
    shade = AMBIENT + (1 - AMBIENT) * np.clip(normals @ LIGHT, 0.0, 1.0)
    image = (turned[:, :2] * unit_px) @ lean.T + neck
    fixed = np.round(image * 16).astype(np.int32)
    order = np.argsort(-middle[:, 2])
    for index in order[facing[order]]:
        colour = tuple(float(v) for v in np.clip(SHIRT_RGB * shade[index], 0, 255))
        cv2.fillConvexPoly(canvas, fixed[triangles[index]], colour, cv2.LINE_AA, 4)


def _turn(points: FloatArray, turn_deg: float) -> FloatArray:
    theta = math.radians(turn_deg)
    x, y, z = points[:, 0], points[:, 1], points[:, 2]
    return np.stack(
        [x * math.cos(theta) - z * math.sin(theta), y, x * math.sin(theta) + z * math.cos(theta)],
        axis=1,
    )


def _grid_triangles(rows: int, columns: int) -> IntArray:
    index = np.arange(rows * columns).reshape(rows, columns)
    a, b = index[:-1, :-1].ravel(), index[1:, :-1].ravel()
    c, d = index[1:, 1:].ravel(), index[:-1, 1:].ravel()
    return np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])


def _smoothstep(x: FloatArray) -> FloatArray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _torso() -> tuple[FloatArray, IntArray, FloatArray]:
    heights = np.linspace(-0.15, 4.5, 48)
    angles = np.linspace(0.0, 2 * math.pi, 64)
    y, u = np.meshgrid(heights, angles, indexing="ij")
    # Half-width: the neck (0.42) over the trapezius to the shoulders (1.25), then the chest.
    half_width = np.where(
        y < SHOULDER_JOINT_Y,
        0.42 + 0.83 * _smoothstep((y + 0.15) / 0.7),
        1.25 - 0.12 * _smoothstep((y - SHOULDER_JOINT_Y) / 1.2),
    )
    half_depth = 0.38 + 0.37 * _smoothstep((y + 0.15) / 1.2)
    power = 2 / TORSO_SQUARENESS
    cos_u, sin_u = np.cos(u), np.sin(u)
    x = half_width * np.sign(cos_u) * np.abs(cos_u) ** power
    z = half_depth * np.sign(sin_u) * np.abs(sin_u) ** power
    vertices = np.stack([x, y, z], -1).reshape(-1, 3)
    centres = np.stack([0 * x, y, 0 * z], -1).reshape(-1, 3)
    return vertices, _grid_triangles(len(heights), len(angles)), centres


def _arm(side: float) -> tuple[FloatArray, IntArray, FloatArray]:
    top = np.array([side * SHOULDER_JOINT_X, SHOULDER_JOINT_Y, 0.05])
    bottom = np.array([side * 1.42, 4.5, 0.12])
    axis = (bottom - top) / np.linalg.norm(bottom - top)
    across = np.cross(axis, [0.0, 0.0, 1.0])
    across /= np.linalg.norm(across)
    depth = np.cross(axis, across)
    # A quarter sphere over the shoulder joint, then the straight arm.
    rings = [
        (ARM_RADIUS * math.cos(a), top + axis * ARM_RADIUS * math.sin(a))
        for a in np.linspace(-math.pi / 2, 0.0, 10)
    ]
    length = float(np.linalg.norm(bottom - top))
    rings += [(ARM_RADIUS, top + axis * s) for s in np.linspace(0.05, length, 20)]
    angles = np.linspace(0.0, 2 * math.pi, 40)
    vertices, centres = [], []
    for index, (radius, centre) in enumerate(rings):
        for u in angles:
            vertices.append(centre + radius * (math.cos(u) * across + math.sin(u) * depth))
            centres.append(top if index == 0 else centre)
    return np.array(vertices), _grid_triangles(len(rings), len(angles)), np.array(centres)
