import pytest


@pytest.mark.django_db
def test_readyz_reports_database_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_readyz_stays_200_and_reports_a_broker_outage(client, settings):
    """Issue #20: a broker outage must not pull every web server out of the load balancer."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    broker = body["checks"]["broker"]
    assert broker["ok"] is False
    assert broker["required"] is False
    assert "127.0.0.1" not in broker["detail"]  # no connection details leak to the public


@pytest.mark.django_db
def test_readyz_reports_a_cache_outage_without_failing(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "collis.lib.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6391/10",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"]["ok"] is False


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_unreachable(client, settings, monkeypatch):
    from django.db import OperationalError, connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_healthz_touches_no_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_database_outage_answers_503_with_retry_after(client, settings, monkeypatch):
    """A request that hits an unreachable database gets a clean 503, not a stack trace."""
    from django.db import OperationalError

    def database_down(request):
        raise OperationalError("connection refused")

    settings.DEBUG = False
    client.raise_request_exception = False
    from collis.urls import urlpatterns

    monkeypatch.setattr(urlpatterns[0], "callback", database_down)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"briefly unavailable" in response.content
    assert b"connection refused" not in response.content


@pytest.fixture
def database_down(settings, monkeypatch):
    """Every query fails as it does while PostgreSQL restarts (bench/fault_test.py)."""
    from django.db import OperationalError, connection

    def refuse(*args, **kwargs):
        raise OperationalError("FATAL:  the database system is shutting down")

    settings.DEBUG = False
    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.django_db
def test_the_api_answers_a_database_outage_with_503_problem_and_retry_after(client, database_down):
    """The fault test's PostgreSQL restart once gave 500s here: ninja's catch-all took it."""
    client.raise_request_exception = False
    response = client.get(
        "/api/scheduling/slots?appointment_type=injection-follow-up"
        "&date_from=2026-12-01&date_to=2026-12-02"
    )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert response.json()["status"] == 503
    assert b"shutting down" not in response.content


@pytest.mark.django_db
def test_fhir_answers_a_database_outage_with_a_transient_operation_outcome(client, database_down):
    client.raise_request_exception = False
    response = client.get("/fhir/Patient", HTTP_AUTHORIZATION="Bearer some-token")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "transient"
    assert b"shutting down" not in response.content
