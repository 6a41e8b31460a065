"""Errors of the patient record (pure: no Django imports).

PatientsError
 └── InvalidWorkupError (ValueError): a work-up that contradicts itself (onset after today,
                                      tardive without exposure, referral outcome without referral)
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
