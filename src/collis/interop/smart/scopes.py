"""SMART scopes (App Launch 2.0, with the 1.0 forms): parse them and decide what they allow.

Pure: no Django imports. ``patient/Observation.rs`` lets an app read and search Observations of
the patient in context; ``user/*.rs`` everything its user's role may read; ``system/*.rs`` the
same for a backend client (acting as the user who registered it). v1 ``read``/``write``/``*``
map to ``rs``/``cud``/``cruds``. The site's roles still apply on top: a scope never widens what
the user may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCOPE = re.compile(
    r"^(?P<context>patient|user|system)/(?P<type>\*|[A-Z][A-Za-z]+)\."
    r"(?P<perms>read|write|\*|c?r?u?d?s?)(?:\?.*)?$"
)
V1 = {"read": "rs", "write": "cud", "*": "cruds"}
LAUNCH_SCOPES = {"launch", "launch/patient", "launch/encounter"}
IDENTITY_SCOPES = {"openid", "fhirUser", "profile", "offline_access", "online_access"}


@dataclass(frozen=True)
class ResourceScope:
    context: str  # patient | user | system
    resource_type: str  # a type or "*"
    perms: str  # subset of "cruds"

    def allows(self, resource_type: str, mode: str) -> bool:
        if self.resource_type not in ("*", resource_type):
            return False
        wanted = "rs" if mode == "read" else "cud"
        return any(p in self.perms for p in wanted)


def parse(scope: str) -> ResourceScope | None:
    match = _SCOPE.match(scope)
    if match is None or not match["perms"]:
        return None
    perms = V1.get(match["perms"], match["perms"])
    return ResourceScope(match["context"], match["type"], perms)


def is_known(scope: str) -> bool:
    return scope in LAUNCH_SCOPES or scope in IDENTITY_SCOPES or parse(scope) is not None


@dataclass(frozen=True)
class Grant:
    """What a SMART access token allows, and the patient it is bound to (if any)."""

    scopes: tuple[ResourceScope, ...]
    patient_id: int | None = None

    @classmethod
    def of(cls, scope_text: str, patient_id: int | None = None) -> Grant:
        parsed = [parse(s) for s in scope_text.split()]
        return cls(tuple(p for p in parsed if p is not None), patient_id)

    def allows(self, resource_type: str, mode: str) -> bool:
        return any(s.allows(resource_type, mode) for s in self.scopes)

    @property
    def patient_only(self) -> bool:
        """Only patient/ scopes: the token sees the patient in context, nothing else of others."""
        return bool(self.scopes) and all(s.context == "patient" for s in self.scopes)

    @property
    def system(self) -> bool:
        return any(s.context == "system" for s in self.scopes)


def describe(scope: str) -> str:
    """Words for the consent screen."""
    if scope == "openid":
        return "Confirm who you are"
    if scope == "fhirUser":
        return "Know which person in the clinic you are"
    if scope == "offline_access":
        return "Keep access after you close the app, until you revoke it"
    if scope == "online_access":
        return "Keep access while you are signed in"
    if scope in ("launch", "launch/patient"):
        return "Know which patient record is open"
    if scope == "profile":
        return "See your name"
    parsed = parse(scope)
    if parsed is None:
        return scope
    what = "all records" if parsed.resource_type == "*" else f"{parsed.resource_type} records"
    verbs = []
    if "r" in parsed.perms or "s" in parsed.perms:
        verbs.append("read")
    if any(p in parsed.perms for p in "cud"):
        verbs.append("change")
    whose = {
        "patient": "of the patient in context",
        "user": "you may see",
        "system": "of the clinic",
    }[parsed.context]
    return f"{' and '.join(verbs).capitalize()} {what} {whose}"
