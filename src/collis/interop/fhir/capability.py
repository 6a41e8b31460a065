"""The CapabilityStatement, built from the resource registry."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from collis.interop.fhir import codes
from collis.interop.fhir.mappers import validated
from collis.interop.fhir.resources import REGISTRY

OPERATIONS: list[dict[str, str]] = []  # filled by modules that add $operations


def capability_statement(base_url: str, software_version: str, date: str) -> dict[str, Any]:
    resources = []
    for resource in REGISTRY.values():
        references = sorted(n for n, p in resource.search.items() if p.type == "reference")
        revincludes = sorted(
            f"{other.name}:{name}"
            for other in REGISTRY.values()
            for name, param in other.search.items()
            if param.type == "reference" and other.name != resource.name
        )
        common = [
            {"name": "_id", "type": "token"},
            {"name": "_lastUpdated", "type": "date"},
        ]
        resources.append(
            {
                "type": resource.name,
                "interaction": [
                    {"code": code} for code in (*resource.interactions, "vread", "history-instance")
                ],
                "versioning": "versioned",
                "readHistory": True,
                "conditionalRead": "full-support",
                "searchInclude": [f"{resource.name}:{name}" for name in references] or None,
                "searchRevInclude": revincludes or None,
                "searchParam": common
                + [
                    {"name": name, "type": resource.search[name].type}
                    for name in sorted(resource.search)
                ],
            }
        )
    origin = base_url.removesuffix("/fhir")
    data = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "Collis", "version": software_version},
        "implementation": {"description": "Collis cervical-dystonia clinic", "url": base_url},
        "fhirVersion": codes.FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": True,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ],
                            "text": "OAuth2 using SMART-on-FHIR profile",
                        }
                    ],
                    "extension": [
                        {
                            "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/"
                            "oauth-uris",
                            "extension": [
                                {"url": "authorize", "valueUri": f"{origin}/o/authorize/"},
                                {"url": "token", "valueUri": f"{origin}/o/token/"},
                                {"url": "revoke", "valueUri": f"{origin}/o/revoke_token/"},
                                {"url": "introspect", "valueUri": f"{origin}/o/introspect/"},
                            ],
                        }
                    ],
                    "description": "SMART App Launch 2.0 (authorization code with PKCE, "
                    "launch/patient, v1 and v2 scopes, refresh tokens, revocation; discovery at "
                    "/fhir/.well-known/smart-configuration) and Backend Services "
                    "(private_key_jwt); or Collis API tokens with Type.read/write scopes, or a "
                    "signed-in session (read only). Patients see only their own records.",
                },
                "resource": resources,
                "operation": OPERATIONS or None,
            }
        ],
    }
    return validated(CapabilityStatement, data)
