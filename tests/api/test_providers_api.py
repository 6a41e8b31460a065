import pytest
from ninja.testing import TestClient

from collis.api.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return TestClient(api)


def test_lists_clinicians_with_specialties(demo_data, client):
    data = client.get("/api/providers/clinicians").json()
    assert len(data) == 6
    brennan = next(c for c in data if c["slug"] == "dr-lucas-brennan")
    assert brennan["specialties"] == [{"slug": "physiatry", "name": "Physiatry (PM&R)"}]
    assert set(brennan["locations"]) == {"downtown", "north-campus"}


def test_unknown_clinician_is_problem_json_404(demo_data, client):
    response = client.get("/api/providers/clinicians/nobody")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"


def test_openapi_schema_is_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Collis API"
    assert "/api/providers/clinicians" in schema["paths"]
