"""Every app's error tree roots in DomainError: a code and the HTTP status it becomes."""

from __future__ import annotations

import importlib

import pytest

from collis.lib.errors import DomainError

APPS = [
    "accounts",
    "diary",
    "injections",
    "patients",
    "recordings",
    "scales",
    "scheduling",
    "supply",
]


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


@pytest.mark.parametrize("app", APPS)
def test_app_errors_are_domain_errors_with_a_code_and_a_status(app):
    module = importlib.import_module(f"collis.{app}.errors")
    errors = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Exception)]
    assert errors
    for error in errors:
        if error is DomainError:
            continue
        assert issubclass(error, DomainError), error
        assert isinstance(error.code, str) and error.code, error
        assert error.http_status in {409, 422}, error


def test_conflicts_are_409():
    from collis.scheduling import errors

    conflicts = {c for c in _all_subclasses(DomainError) if c.http_status == 409}
    assert {
        errors.SlotTakenError,
        errors.InvalidTransitionError,
        errors.CancellationWindowClosedError,
    } <= conflicts
