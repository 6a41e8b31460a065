"""Progress reports are throttled and end at 1.0."""

from __future__ import annotations

import pytest

from collis.posture.progress import Progress, ProgressReporter


def test_reports_every_percent_and_finishes_at_one() -> None:
    reports: list[Progress] = []
    reporter = ProgressReporter(
        reports.append, frames_total=1000, duration_s=None, clock=lambda: 0.0
    )
    for i in range(1000):
        reporter.frame_done(i / 30)
    reporter.finish()
    assert 95 <= len(reports) <= 102  # first frame, then every 1 %, then the final report
    fractions = [r.fraction for r in reports]
    assert fractions == sorted(fractions)
    assert reports[-1].finished and reports[-1].fraction == 1.0
    assert all(f is not None and f < 1 for f in fractions[:-1])


def test_duration_drives_fraction_and_clock_forces_reports_when_length_unknown() -> None:
    now = [0.0]
    reports: list[Progress] = []
    reporter = ProgressReporter(reports.append, None, None, clock=lambda: now[0])
    for i in range(90):
        now[0] = i * 0.1  # 10 frames a second of wall time
        reporter.frame_done(i / 30)
    assert [r.frames_done for r in reports] == [1, 11, 21, 31, 41, 51, 61, 71, 81]
    assert reports[0].fraction is None
    assert Progress(15, None, 1.5, 3.0, False).fraction == pytest.approx(0.5)


def test_callback_exception_cancels() -> None:
    def cancel(_: Progress) -> None:
        raise KeyboardInterrupt

    reporter = ProgressReporter(cancel, 10, None)
    with pytest.raises(KeyboardInterrupt):
        reporter.frame_done(0.0)
