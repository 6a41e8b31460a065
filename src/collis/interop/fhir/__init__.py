"""FHIR R4 REST interface under /fhir/ (JSON only)."""
