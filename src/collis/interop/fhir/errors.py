"""FHIR errors, each turned into an OperationOutcome with its HTTP status in one place (views).

FhirError
├── SearchError          400 invalid: an unknown search parameter or a value that cannot be used
├── InvalidResourceError 400 invalid: the body is not JSON or not a valid resource of the type
├── NotFoundError        404 not-found
├── ConflictError        409 conflict: e.g. the Slot was booked by someone else first
└── UnprocessableError   422 business-rule: valid FHIR that cannot be acted on
"""

from __future__ import annotations


class FhirError(Exception):
    status = 400
    code = "invalid"  # OperationOutcome.issue.code (http://hl7.org/fhir/issue-type)


class SearchError(FhirError, ValueError):
    """A search parameter value cannot be used (bad date, unknown parameter)."""


class InvalidResourceError(FhirError, ValueError):
    pass


class NotFoundError(FhirError, LookupError):
    status = 404
    code = "not-found"


class ConflictError(FhirError):
    status = 409
    code = "conflict"


class UnprocessableError(FhirError, ValueError):
    status = 422
    code = "business-rule"
