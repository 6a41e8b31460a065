"""The API contract: the OpenAPI schema matches the committed snapshot and documents its errors.

After an intended change, regenerate the snapshot with
``UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/api/test_openapi.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from collis.api.api import api

SNAPSHOT = Path(__file__).with_name("openapi.json")


@pytest.fixture
def schema(db) -> dict:
    # A JSON round trip gives plain dicts and lists, as the committed file holds.
    return json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_schema_matches_the_committed_snapshot(schema):
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert schema == committed, "API changed: rerun with UPDATE_SNAPSHOTS=1 and review the diff"


def test_every_operation_documents_its_errors_with_the_problem_model(schema):
    for name, operation in operations(schema):
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        takes_input = bool(operation.get("requestBody")) or any(
            p["in"] == "query" and p.get("required") for p in parameters
        )
        if any(p["in"] == "path" for p in parameters):
            assert "404" in responses, f"{name} has a path parameter but no 404"
        if takes_input:
            assert "422" in responses, f"{name} takes input but documents no 422"
        if operation.get("requestBody"):
            assert "400" in responses, f"{name} takes a body but documents no 400"
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert set(response["content"]) == {"application/problem+json"}, name
                ref = response["content"]["application/problem+json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[-1] in {"Problem", "BookingProblem"}, name
        assert operation.get("summary"), f"{name} has no summary"


def test_problem_schema_has_examples(schema):
    problem = schema["components"]["schemas"]["Problem"]
    assert problem["examples"][0]["status"] == 404
    assert set(problem["required"]) == {"title", "status"}


def test_a_body_that_is_not_json_is_a_documented_problem(client, db):
    response = client.post(
        "/api/scheduling/appointments", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Bad Request"


def test_slot_range_rule_is_documented_and_answered_as_422(schema, client, db):
    operation = schema["paths"]["/api/scheduling/slots"]["get"]
    assert "date_to" in operation["description"] and "422" in operation["description"]
    assert "422" in operation["responses"]
