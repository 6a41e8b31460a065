"""System checks for settings a deployment gets wrong (``manage.py check [--deploy]``).

Ids ``ops.E00n`` stop the server from starting; ``ops.W00n`` are ``--deploy`` warnings that
``.ci/run``-style production checks (``--fail-level WARNING``) turn into failures.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from collis.lib.throttle import parse_rate

__all__ = ["check_deployment", "check_jobs_and_limits"]

JOBS_BACKENDS = {"", "thread", "celery", "sync"}
# Email backends that deliver nothing: fine in development, silent loss in a clinic.
NON_DELIVERING_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register()
def check_jobs_and_limits(app_configs=None, **kwargs) -> list:  # noqa: ANN001
    errors = []
    backend = getattr(settings, "JOBS_BACKEND", "")
    if backend not in JOBS_BACKENDS:
        errors.append(
            Error(
                f"JOBS_BACKEND is {backend!r}.",
                hint="Use thread, celery or sync, or leave it empty for the default.",
                id="ops.E001",
            )
        )
    if backend == "celery" and not settings.CELERY_BROKER_URL:
        errors.append(
            Error(
                "JOBS_BACKEND is celery but CELERY_BROKER_URL is empty: no job would run.",
                hint="Set CELERY_BROKER_URL (e.g. redis://host:6379/0).",
                id="ops.E002",
            )
        )
    try:
        parse_rate(settings.BOOKING_RATE_LIMIT)
    except ValueError as exc:
        errors.append(
            Error(f"BOOKING_RATE_LIMIT: {exc}.", hint="For example 20/m or 5/15m.", id="ops.E003")
        )
    return errors


@register(Tags.security, deploy=True)
def check_deployment(app_configs=None, **kwargs) -> list:  # noqa: ANN001
    if settings.DEBUG:
        return []
    warnings = []
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https":
        warnings.append(
            Warning(
                f"SITE_URL {settings.SITE_URL!r} is not https: the links in booking, recall and "
                "invitation emails would travel in clear.",
                hint="Set SITE_URL to the clinic's public https address.",
                id="ops.W001",
            )
        )
    if settings.EMAIL_BACKEND in NON_DELIVERING_EMAIL:
        warnings.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: confirmations, reminders, recalls "
                "and invitations would never reach anyone.",
                hint="Use django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST.",
                id="ops.W002",
            )
        )
    host = site.hostname or ""
    allowed = settings.ALLOWED_HOSTS
    if (
        host
        and "*" not in allowed
        and not any(
            host == h or (h.startswith(".") and (host.endswith(h) or host == h[1:]))
            for h in allowed
        )
    ):
        warnings.append(
            Warning(
                f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS: emailed links would be "
                "refused with 400.",
                hint="Add it to ALLOWED_HOSTS.",
                id="ops.W003",
            )
        )
    return warnings
