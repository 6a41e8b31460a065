"""Progress reports for long analyses (the web site runs analysis as a background job)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Report at most every 1 % of the estimated work or every second, whichever comes first, so a
# callback that writes to a database is not called 30 times a second.
MIN_FRACTION_STEP = 0.01
MIN_SECONDS_BETWEEN_REPORTS = 1.0


@dataclass(frozen=True)
class Progress:
    """How far an analysis has got.

    ``fraction`` is in [0, 1], or None when the length of the input is unknown; it reaches 1.0
    only in the final report (``finished`` True).
    """

    frames_done: int
    frames_total: int | None
    media_seconds_done: float
    duration_s: float | None
    finished: bool

    @property
    def fraction(self) -> float | None:
        """Return the share of the input processed so far, if the input length is known."""
        if self.finished:
            return 1.0
        if self.duration_s:
            return min(0.99, self.media_seconds_done / self.duration_s)
        if self.frames_total:
            return min(0.99, self.frames_done / self.frames_total)
        return None


ProgressCallback = Callable[[Progress], None]


class ProgressReporter:
    """Throttle progress reports to a callback; exceptions from the callback propagate."""

    def __init__(
        self,
        callback: ProgressCallback | None,
        frames_total: int | None,
        duration_s: float | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._callback = callback
        self._frames_total = frames_total
        self._duration_s = duration_s
        self._clock = clock
        self._last_fraction: float | None = None
        self._last_time = 0.0
        self._frames_done = 0
        self._seconds_done = 0.0

    def frame_done(self, media_seconds: float) -> None:
        """Record one more processed frame and report if enough has changed."""
        self._frames_done += 1
        self._seconds_done = media_seconds
        if self._callback is None:
            return
        report = self._report(finished=False)
        now = self._clock()
        fraction = report.fraction
        first = self._frames_done == 1
        moved = (
            fraction is not None
            and self._last_fraction is not None
            and fraction - self._last_fraction >= MIN_FRACTION_STEP
        )
        if first or moved or now - self._last_time >= MIN_SECONDS_BETWEEN_REPORTS:
            self._last_fraction = fraction
            self._last_time = now
            self._callback(report)

    def finish(self) -> None:
        """Send the final report (fraction 1.0)."""
        if self._callback is not None:
            self._callback(self._report(finished=True))

    def _report(self, *, finished: bool) -> Progress:
        return Progress(
            self._frames_done, self._frames_total, self._seconds_done, self._duration_s, finished
        )
