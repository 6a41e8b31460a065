"""Property-based fuzzing of the whole JSON API from its own OpenAPI schema: never a 5xx.

Schemathesis loads ``/api/openapi.json`` from the app in-process (WSGI, no network) and sends
generated requests to every operation; new routers are fuzzed as soon as they are added.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

MAX_EXAMPLES = 30  # per operation; keeps the whole run to a few seconds


# Loaded at collection (serving the schema touches no database). schemathesis' lazy
# from_fixture loader is not used: 4.32 relies on a pytest internal that pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """The WSGI handler closes DB connections after each request; inside a test that would
    close the test's transaction (PostgreSQL). Django's own test client does the same."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("demo_data")
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_answers_with_a_server_error(case):
    response = case.call()
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    )
