"""Errors of botulinum-toxin records (pure: no Django imports).

InjectionError
 ├── InvalidPlanError (ValueError): a session plan that cannot be recorded (bad units, unknown
 │                                  muscle, duplicate muscle and side, expired lot, no injections)
 └── UnacknowledgedWarningsError: label warnings fired and no clinician reason was given
"""

from __future__ import annotations


class InjectionError(Exception):
    code = "injection_error"


class InvalidPlanError(InjectionError, ValueError):
    code = "invalid_plan"

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class UnacknowledgedWarningsError(InjectionError):
    """Label warnings fired; a clinician must acknowledge them with a reason before saving."""

    code = "unacknowledged_warnings"

    def __init__(self, warnings: tuple) -> None:
        self.warnings = warnings
        super().__init__(
            "Acknowledge these warnings with a reason: " + "; ".join(w.message for w in warnings)
        )
