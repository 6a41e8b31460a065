from __future__ import annotations

from django.db import models


class Job(models.Model):
    """One unit of background work and what became of it."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    name = models.CharField(max_length=100, db_index=True)
    kwargs = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0 to 1")
    progress_note = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the worker running it."
    )
    request_id = models.CharField(
        max_length=64, blank=True, help_text="The request that enqueued it (log correlation)."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "run_after"])]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    @property
    def lease_lost(self) -> bool:
        """True once another worker took this job over: a long job may stop early."""
        lease = getattr(self, "lease", None)
        return bool(lease is not None and lease.lost.is_set())

    def report_progress(self, fraction: float, note: str = "") -> None:
        """Save progress from inside a running job (its own small write, outside transactions)."""
        self.progress = min(max(fraction, 0.0), 1.0)
        self.progress_note = note[:200]
        Job.objects.filter(pk=self.pk).update(
            progress=self.progress, progress_note=self.progress_note
        )


class OutboxEmail(models.Model):
    """One outgoing email, at most once per ``key`` (see ``collis.jobs.outbox.send_once``).

    Only what is needed to deduplicate and audit is kept: no body (it may carry health details).
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key} ({'sent' if self.sent_at else 'pending'})"
