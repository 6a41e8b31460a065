"""Demo home check-ins (synthetic numbers, no videos): weekly across every injection cycle of two
patients. DEMO-0001 holds its effect to week 12 (never flagged); DEMO-0002 wears off at week 8
(flagged as objective early wearing-off). Idempotent: patients with check-ins are skipped."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from collis.checkins.actions import CONSENT_STATEMENT
from collis.checkins.models import HomeCheckin, HomeRecordingConsent
from collis.checkins.protocol import PROTOCOL_VERSION
from collis.demo.context import DemoContext
from collis.injections.models import InjectionSession
from collis.patients.models import Patient

# Share of the pre-injection deviation left at each week after the injection (synthetic).
HOLDS_TO_WEEK_12 = {2: 0.5, 3: 0.4, 4: 0.35, 5: 0.3, 6: 0.3, 7: 0.32, 8: 0.35, 9: 0.38,
                    10: 0.45, 11: 0.6, 12: 0.85}  # fmt: skip
WEARS_OFF_AT_WEEK_8 = {2: 0.5, 3: 0.4, 4: 0.35, 5: 0.35, 6: 0.45, 7: 0.65, 8: 0.86, 9: 0.93}
PROFILES = {
    # mrn: (profile, resting rotation°, laterocollis°, flexion° before an injection)
    "DEMO-0001": (HOLDS_TO_WEEK_12, 32.0, 12.0, 2.0),
    "DEMO-0002": (WEARS_OFF_AT_WEEK_8, -28.0, -10.0, 4.0),
}
DEMO_SOURCE = "synthetic demo check-in (no video)"
UNREVIEWED = 2  # the newest check-ins of each patient are left for the review queue


def _fraction(profile: dict[int, float], week: int) -> float:
    if week in profile:
        return profile[week]
    return 1.0 if week > max(profile) else profile[min(profile)]


def seed(ctx: DemoContext) -> None:
    tz = timezone.get_current_timezone()
    for mrn, (profile, rotation, tilt, flexion) in PROFILES.items():
        patient = Patient.objects.filter(mrn=mrn).first()
        if patient is None or HomeCheckin.objects.filter(patient=patient).exists():
            continue
        injected = list(
            InjectionSession.objects.filter(patient=patient)
            .order_by("injected_on")
            .values_list("injected_on", flat=True)
        )
        if not injected:
            continue
        consent = HomeRecordingConsent.objects.create(
            patient=patient,
            statement=CONSENT_STATEMENT,
            given_at=datetime.combine(injected[0] - timedelta(days=1), time(18), tz),
        )
        days = []
        for index, start in enumerate(injected):
            end = injected[index + 1] if index + 1 < len(injected) else ctx.today + timedelta(1)
            days.append((start, 1.0))  # the morning of the injection: the baseline
            week = 2
            while start + timedelta(weeks=week) < end:
                days.append((start + timedelta(weeks=week), _fraction(profile, week)))
                week += 1
        rows = []
        for on, share in days:
            noise = ctx.rng.uniform(-1.0, 1.0)
            rows.append(
                HomeCheckin(
                    patient=patient,
                    recorded_at=datetime.combine(on, time(8, ctx.rng.randint(0, 59)), tz),
                    protocol_version=PROTOCOL_VERSION,
                    consent=consent,
                    result={"source": DEMO_SOURCE},
                    segments={},
                    resting_rotation_deg=round(rotation * share + noise, 1),
                    resting_laterocollis_deg=round(tilt * share + noise / 2, 1),
                    resting_flexion_deg=round(flexion * share, 1),
                    tremor_amplitude_deg=round(max(0.0, 1.5 * share + noise / 4), 1),
                    tremor_hz=4.5,
                    original_deleted_at=datetime.combine(on, time(9), tz),
                )
            )
        for row in rows[:-UNREVIEWED]:
            row.reviewed_at = row.recorded_at + timedelta(days=1)
        HomeCheckin.objects.bulk_create(rows)
    ctx.notes.append(
        "  Home check-ins: DEMO-0002 is flagged for early wearing-off (week 8); DEMO-0001 holds."
    )
