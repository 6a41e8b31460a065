"""Names → job functions, filled by ``@register`` at import time of each app's ``jobs.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., Any]
    max_attempts: int
    retry_backoff: timedelta


@dataclass(frozen=True)
class PeriodicSpec:
    job_name: str
    every: timedelta


_JOBS: dict[str, JobSpec] = {}
_PERIODIC: dict[str, PeriodicSpec] = {}


def register(
    name: str, *, max_attempts: int = 3, retry_backoff: timedelta = timedelta(seconds=30)
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        _JOBS[name] = JobSpec(name, func, max_attempts, retry_backoff)
        return func

    return decorator


def register_periodic(job_name: str, every: timedelta) -> None:
    """Run the job ``job_name`` (with no arguments) every ``every``."""
    _PERIODIC[job_name] = PeriodicSpec(job_name, every)


def autodiscover() -> None:
    """Import every installed app's ``jobs`` module so its registrations run."""
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.jobs":
                raise


def get_job(name: str) -> JobSpec:
    if not _JOBS:
        autodiscover()
    try:
        return _JOBS[name]
    except KeyError:
        autodiscover()
        if name in _JOBS:
            return _JOBS[name]
        raise LookupError(f"No job is registered as {name!r}") from None


def periodic_jobs() -> list[PeriodicSpec]:
    autodiscover()
    return list(_PERIODIC.values())
