"""The frontal reference face that head rotations are measured against.

MediaPipe's canonical face model is not inside the 0.10.14 wheel (posture-research.md §1.1). The
reference here is built instead from MediaPipe's own mesh of ``skimage.data.astronaut()`` (an
openly licensed NASA portrait shipped with scikit-image) and made exactly left/right symmetric:

1. run Holistic on the photo and on its mirror image at a few scales and average the meshes;
2. find the landmark mirror pairs by matching the mirrored run back onto the original;
3. rotate the mesh so its symmetry plane is the x = 0 plane and average it with its mirror.

Yaw and roll zero are therefore anatomical (the face's symmetry plane). Pitch zero is the pitch
of that portrait, which is close to frontal but not an anatomical plane, so flexion values need a
per-patient neutral baseline before they mean antero- or retrocollis (posture-research.md §2.2).

Rebuild ``data/reference_face.csv`` with ``python -m collis.posture.reference_face`` (needs
scikit-image, a test dependency).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from .geometry import fit_similarity

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MESH_POINTS = 468  # the face mesh proper; 468–477 are the iris points of refined landmarks
_MIRROR = np.diag([-1.0, 1.0, 1.0])
_DATA_FILE = "reference_face.csv"
# MediaPipe mesh indices of landmarks named elsewhere (outer eye corners, nose tip, upper lip).
RIGHT_EYE_OUTER, LEFT_EYE_OUTER, NOSE_TIP, UPPER_LIP_TOP = 33, 263, 1, 0


@dataclass(frozen=True, eq=False)
class ReferenceFace:
    """Reference vertices (468, 3), their mirror partners and the rigid-region weights."""

    vertices: FloatArray
    mirror_index: IntArray
    rigid_weight: FloatArray


def mirror_permutation(mesh: FloatArray, mirrored_mesh_unflipped: FloatArray) -> IntArray:
    """Return ``perm`` with landmark ``perm[i]`` the left/right partner of landmark ``i``.

    ``mirrored_mesh_unflipped`` is the mesh found in the horizontally flipped photo, with its x
    mapped back to the original image; point i of it sits on the partner of i. Matching is a
    minimum-cost assignment on 3-D distances, then made an involution.
    """
    cost = np.linalg.norm(mirrored_mesh_unflipped[:, None, :] - mesh[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(cost)
    perm = np.empty(len(mesh), dtype=np.int64)
    perm[rows] = cols
    return perm


def symmetrise(mesh: FloatArray, perm: IntArray) -> FloatArray:
    """Return the mesh rotated so its symmetry plane is x = 0, averaged with its own mirror.

    With M = Q·F for a symmetric face F, the mirror M' = S·M[perm] equals (SQS)·F; the rigid
    fit M ≈ R·M' gives R = Q·S·Qᵀ·S, so R·S is the reflection across the symmetry plane and its
    −1 eigenvector is that plane's normal. Rotating the normal onto +x removes yaw and roll.
    """
    centred = mesh - mesh.mean(axis=0)
    mirrored = centred[perm] @ _MIRROR
    fit = fit_similarity(mirrored, centred, np.ones(len(mesh)))
    reflection = fit.rotation @ _MIRROR
    eigenvalues, eigenvectors = np.linalg.eigh((reflection + reflection.T) / 2)
    normal = eigenvectors[:, int(np.argmin(eigenvalues))]
    if normal[0] < 0:
        normal = -normal
    aligned = centred @ _rotation_taking(normal, np.array([1.0, 0.0, 0.0])).T
    symmetric = (aligned + aligned[perm] @ _MIRROR) / 2
    return symmetric - symmetric.mean(axis=0)


def _rotation_taking(a: FloatArray, b: FloatArray) -> FloatArray:
    """Return the smallest rotation taking unit vector ``a`` onto unit vector ``b``."""
    v = np.cross(a, b)
    c = float(a @ b)
    if np.linalg.norm(v) < 1e-12:
        return np.eye(3)
    vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + vx + vx @ vx / (1 + c)


@functools.cache
def load_reference_face() -> ReferenceFace:
    """Return the packaged reference face (read once per process)."""
    text = (
        resources.files("collis.posture").joinpath("data").joinpath(_DATA_FILE).read_text("utf-8")
    )
    rows = np.loadtxt(text.splitlines(), delimiter=",", comments="#", skiprows=0, ndmin=2)
    vertices = rows[:, 1:4].astype(np.float64)
    mirror_index = rows[:, 4].astype(np.int64)
    rigid = rows[:, 5].astype(np.float64)
    for array in (vertices, rigid):
        array.setflags(write=False)
    mirror_index.setflags(write=False)
    return ReferenceFace(vertices, mirror_index, rigid)


def _rigid_mask(vertices: FloatArray) -> NDArray[np.bool_]:
    """Mark points that move little with expression: not eyes, brows, lips or jaw.

    Jaw opening, lips and blinks would otherwise move the fit (posture-research.md §2.1 (b)).
    """
    from mediapipe.python.solutions import face_mesh_connections as fmc

    mobile: set[int] = set()
    for group in (
        fmc.FACEMESH_LIPS,
        fmc.FACEMESH_LEFT_EYE,
        fmc.FACEMESH_RIGHT_EYE,
        fmc.FACEMESH_LEFT_EYEBROW,
        fmc.FACEMESH_RIGHT_EYEBROW,
    ):
        for a, b in group:
            mobile.update((a, b))
    below_upper_lip = vertices[:, 1] > vertices[UPPER_LIP_TOP, 1]
    mask = np.ones(len(vertices), dtype=bool)
    mask[list(mobile)] = False
    mask[below_upper_lip] = False
    return mask


def _build_from_astronaut() -> tuple[FloatArray, IntArray, NDArray[np.bool_]]:
    import cv2
    from skimage import data

    from .landmarks import HolisticDetector

    photo = data.astronaut()
    meshes: list[FloatArray] = []
    mirrored_meshes: list[FloatArray] = []
    with HolisticDetector(static_image_mode=True) as detector:
        for scale in (1.0, 1.5, 2.0):
            image = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            width = image.shape[1]
            face = detector.detect(image).face
            flipped_face = detector.detect(np.ascontiguousarray(image[:, ::-1])).face
            if face is None or flipped_face is None:
                raise RuntimeError(f"no face in the astronaut photo at scale {scale}")
            flipped_face = flipped_face.copy()
            flipped_face[:, 0] = width - flipped_face[:, 0]
            meshes.append(face[:MESH_POINTS] / scale)
            mirrored_meshes.append(flipped_face[:MESH_POINTS] / scale)
    mesh = np.mean(meshes, axis=0)
    mirrored = np.mean(mirrored_meshes, axis=0)
    perm = mirror_permutation(mesh, mirrored)
    if not np.array_equal(perm[perm], np.arange(MESH_POINTS)):
        raise RuntimeError("mirror matching is not an involution; refusing to write the reference")
    # Average the two measurements of each physical point before symmetrising.
    vertices = symmetrise((mesh + mirrored[perm]) / 2, perm)
    eye_distance = np.linalg.norm(vertices[LEFT_EYE_OUTER] - vertices[RIGHT_EYE_OUTER])
    vertices = vertices / eye_distance
    return vertices, perm, _rigid_mask(vertices)


def main() -> None:
    """Rebuild the packaged reference face from the astronaut photo."""
    vertices, perm, rigid = _build_from_astronaut()
    target = Path(__file__).with_name("data") / _DATA_FILE
    header = (
        "# Symmetric frontal reference face for collis.posture, 468 MediaPipe mesh points.\n"
        "# Built by `python -m collis.posture.reference_face` from MediaPipe 0.10.14 Holistic\n"
        "# landmarks of skimage.data.astronaut() (NASA portrait of Eileen Collins, public\n"
        "# domain, shipped with scikit-image). Units: outer-eye-corner distance = 1; x right,\n"
        "# y down, z away from the camera. Columns: index,x,y,z,mirror_index,rigid\n"
    )
    lines = [
        f"{i},{x:.6f},{y:.6f},{z:.6f},{perm[i]},{int(rigid[i])}"
        for i, (x, y, z) in enumerate(vertices)
    ]
    target.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(lines)} points, {int(rigid.sum())} rigid")


if __name__ == "__main__":
    main()
