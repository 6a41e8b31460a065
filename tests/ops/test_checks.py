"""The deployment system checks (ops.E001-E003, ops.W001-W003)."""

from __future__ import annotations

import pytest

from collis.ops.checks import check_deployment, check_jobs_and_limits

PRODUCTION = {
    "DEBUG": False,
    "SITE_URL": "https://clinic.example.org",
    "ALLOWED_HOSTS": ["clinic.example.org"],
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def _ids(messages) -> set[str]:
    return {m.id for m in messages}


def test_defaults_pass(settings):
    assert check_jobs_and_limits() == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"JOBS_BACKEND": "celeri"}, "ops.E001"),
        ({"JOBS_BACKEND": "celery", "CELERY_BROKER_URL": ""}, "ops.E002"),
        ({"BOOKING_RATE_LIMIT": "twenty a minute"}, "ops.E003"),
        ({"BOOKING_RATE_LIMIT": "0/m"}, "ops.E003"),
    ],
)
def test_misconfigured_jobs_or_limits_are_errors(settings, overrides, expected):
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert expected in _ids(check_jobs_and_limits())


def test_a_correct_production_configuration_passes(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    assert check_deployment() == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"SITE_URL": "http://clinic.example.org"}, "ops.W001"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "ops.W002"),
        ({"SITE_URL": "https://book.example.org"}, "ops.W003"),
    ],
)
def test_deployment_mistakes_are_warned(settings, overrides, expected):
    for name, value in {**PRODUCTION, **overrides}.items():
        setattr(settings, name, value)
    assert _ids(check_deployment()) == {expected}


def test_a_leading_dot_allows_subdomains(settings):
    for name, value in {**PRODUCTION, "ALLOWED_HOSTS": [".example.org"]}.items():
        setattr(settings, name, value)
    assert check_deployment() == []


def test_debug_skips_the_deployment_warnings(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert check_deployment() == []
