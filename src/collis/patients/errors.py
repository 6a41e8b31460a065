"""Errors of the patient record (pure: no Django imports).

PatientsError
 ├── InvalidWorkupError (ValueError): a work-up that contradicts itself (onset after today,
 │                                    tardive without exposure, referral outcome without referral)
 ├── IncompletePatientError (ValueError): a new record without a name, or without a way to reach
 └── DuplicatePatientError (ValueError): the same name and birth date is already on file
"""

from __future__ import annotations

from collis.lib.errors import DomainError


class PatientsError(DomainError):
    code = "patients_error"


class InvalidWorkupError(PatientsError, ValueError):
    code = "invalid_workup"

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class IncompletePatientError(PatientsError, ValueError):
    code = "incomplete_patient"


class DuplicatePatientError(PatientsError, ValueError):
    """``existing_id`` names the record already on file, so the caller can pick it instead."""

    code = "duplicate_patient"

    def __init__(self, existing_id: int) -> None:
        self.existing_id = existing_id
        super().__init__("A patient with this name and birth date is already on file.")
