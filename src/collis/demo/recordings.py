"""Demo posture analyses for DEMO-0001 (synthetic numbers, no photos), so the chart across visits
shows a trend. Idempotent: visits that already hold a recording are skipped."""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone

from collis.demo.context import DemoContext
from collis.patients.models import Patient
from collis.posture.suggestions import suggest_severity
from collis.recordings.actions import summary_values
from collis.recordings.models import PostureRecording

DEMO_MRN = "DEMO-0001"
DEMO_FILENAME = "synthetic demo measurement, no photo"
# DEMO-0001's demo diagnosis is left torticaput with left laterocaput (patients/demo.py):
# positive rotation and tilt in DESIGN.md signs, easing as injections take effect. Synthetic.
START_ROTATION_DEG = 34.0
START_LATEROCOLLIS_DEG = 14.0
MAX_VISITS = 5


def seed(ctx: DemoContext) -> None:
    patient = Patient.objects.filter(mrn=DEMO_MRN).first()
    if patient is None:
        return
    visits = list(
        patient.visits.select_related("clinician__user").order_by("occurred_at")[:MAX_VISITS]
    )
    for number, visit in enumerate(visits):
        if visit.posture_recordings.exists() or visit.clinician.user is None:
            continue
        rotation = START_ROTATION_DEG - 4.0 * number + ctx.rng.uniform(-2, 2)
        tilt = START_LATEROCOLLIS_DEG - 1.5 * number + ctx.rng.uniform(-1.5, 1.5)
        flexion = ctx.rng.uniform(-3, 3)
        result = _result(rotation, tilt, flexion)
        severity = suggest_severity(
            rotation_deg=rotation, laterocollis_deg=tilt, flexion_deg=flexion,
            lateral_shift=None, sagittal_shift=None, shoulder_elevation_deg=None,
        )  # fmt: skip
        result["twstrs_severity"] = {s.item: s.grade for s in severity}
        user = visit.clinician.user
        recording = PostureRecording.objects.create(
            patient=patient,
            visit=visit,
            uploaded_by=user,
            original_filename=DEMO_FILENAME,
            kind=PostureRecording.Kind.IMAGE,
            mime_type="image/jpeg",
            size_bytes=0,
            width=0,
            height=0,
            consent_confirmed=True,
            consent_confirmed_by=user,
            consent_confirmed_at=visit.occurred_at or timezone.now(),
            result=result,
            suggestions=[{**asdict(s), "basis": f"{s.basis} (synthetic demo)"} for s in severity],
            **summary_values(result),
        )
        # Taken and uploaded at the visit, not when the demo was seeded.
        PostureRecording.objects.filter(pk=recording.pk).update(
            created_at=visit.occurred_at or recording.created_at
        )


def _result(rotation: float, tilt: float, flexion: float) -> dict:
    angles = {
        "rotation_deg": round(rotation, 2),
        "laterocollis_deg": round(tilt, 2),
        "flexion_deg": round(flexion, 2),
    }
    return {
        "source": "synthetic demo",
        "kind": "image",
        "fps": None,
        "frames": 1,
        "frames_with_face": 1,
        "angles": angles,
        "shifts": {"lateral_shift": None, "sagittal_shift": None, "shoulder_elevation_deg": None},
        "tremor": {"frequency_hz": None, "amplitude_deg": None, "axis": None},
        "twstrs_severity": {},
        "quality": {"warnings": ["synthetic demo values, not measured from a photo"]},
        "series": {"t": [0.0], **{key: [value] for key, value in angles.items()}},
    }
