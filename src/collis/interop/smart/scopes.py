"""SMART scopes (App Launch 2.0, with the 1.0 forms): parse them and decide what they allow.

Pure: no Django imports. ``patient/Observation.rs`` lets an app read and search Observations of
the patient in context; ``user/*.rs`` everything its user's role may read; ``system/*.rs`` the
same for a backend client (acting as the user who registered it). v1 ``read``/``write``/``*``
map to ``rs``/``cud``/``cruds``. The site's roles still apply on top: a scope never widens what
the user may see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


def gettext_noop(message: str) -> str:
    """Marks a text for the translation catalogue; the consent screen passes ``translate``."""
    return message


def _same(text: str) -> str:
    return text


_FIXED = {
    "openid": gettext_noop("Confirm who you are"),
    "fhirUser": gettext_noop("Know which person in the clinic you are"),
    "offline_access": gettext_noop("Keep access after you close the app, until you revoke it"),
    "online_access": gettext_noop("Keep access while you are signed in"),
    "launch": gettext_noop("Know which patient record is open"),
    "launch/patient": gettext_noop("Know which patient record is open"),
    "profile": gettext_noop("See your name"),
}
# (can read, can change, context) -> sentence; %(what)s is "all records" or "Patient records".
_RESOURCE = {
    (True, False, "patient"): gettext_noop("Read %(what)s of the patient in context"),
    (False, True, "patient"): gettext_noop("Change %(what)s of the patient in context"),
    (True, True, "patient"): gettext_noop("Read and change %(what)s of the patient in context"),
    (True, False, "user"): gettext_noop("Read %(what)s you may see"),
    (False, True, "user"): gettext_noop("Change %(what)s you may see"),
    (True, True, "user"): gettext_noop("Read and change %(what)s you may see"),
    (True, False, "system"): gettext_noop("Read %(what)s of the clinic"),
    (False, True, "system"): gettext_noop("Change %(what)s of the clinic"),
    (True, True, "system"): gettext_noop("Read and change %(what)s of the clinic"),
}


def describe(scope: str, translate: Callable[[str], str] = _same) -> str:
    """Words for the consent screen, through ``translate`` (gettext in the reader's language)."""
    if scope in _FIXED:
        return translate(_FIXED[scope])
    parsed = parse(scope)
    if parsed is None:
        return scope
    if parsed.resource_type == "*":
        what = translate(gettext_noop("all records"))
    else:
        what = translate(gettext_noop("%(type)s records")) % {"type": parsed.resource_type}
    reads = "r" in parsed.perms or "s" in parsed.perms
    changes = any(p in parsed.perms for p in "cud")
    sentence = _RESOURCE.get((reads, changes, parsed.context))
    if sentence is None:
        return scope
    return translate(sentence) % {"what": what}
