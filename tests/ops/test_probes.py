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
