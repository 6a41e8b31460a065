"""Resource versions: ``meta.versionId``/``meta.lastUpdated``, ETags, vread and ``_history``.

``stamp`` gives every resource about to be served its current version, recording a new one when
its content changed since the last one served (see ``ResourceVersion``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from collis.interop.models import ResourceVersion


def digest(resource: dict[str, Any]) -> str:
    content = {k: v for k, v in resource.items() if k != "meta"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _with_meta(resource: dict[str, Any], version: int, at: datetime) -> dict[str, Any]:
    meta = dict(resource.get("meta") or {})
    meta["versionId"] = str(version)
    meta["lastUpdated"] = at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return _meta_first(resource, meta)


def _meta_first(resource: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """Put ``meta`` right after ``resourceType`` and ``id``, where readers expect it."""
    head = {k: resource[k] for k in ("resourceType", "id") if k in resource}
    rest = {k: v for k, v in resource.items() if k not in head and k != "meta"}
    return {**head, "meta": meta, **rest}


def stamp(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the resources with their current version in ``meta`` (one query per type)."""
    by_type: dict[str, list[str]] = {}
    for resource in resources:
        by_type.setdefault(resource["resourceType"], []).append(resource["id"])
    latest: dict[tuple[str, str], ResourceVersion] = {}
    for kind, ids in by_type.items():
        rows = ResourceVersion.objects.filter(resource_type=kind, resource_id__in=ids).only(
            "resource_type", "resource_id", "version", "digest", "recorded_at"
        )
        for row in rows.order_by("version"):
            latest[(kind, row.resource_id)] = row
    now = timezone.now()
    out = []
    for resource in resources:
        key = (resource["resourceType"], resource["id"])
        known = latest.get(key)
        current = digest(resource)
        if known is None or known.digest != current:
            known = _record(resource, current, (known.version if known else 0) + 1, now)
            latest[key] = known
        out.append(_with_meta(resource, known.version, known.recorded_at))
    return out


def _record(resource: dict[str, Any], current: str, version: int, now: datetime):
    body = {k: v for k, v in resource.items() if k != "meta"}
    try:
        with transaction.atomic():
            return ResourceVersion.objects.create(
                resource_type=resource["resourceType"],
                resource_id=resource["id"],
                version=version,
                digest=current,
                body=body,
                recorded_at=now,
            )
    except IntegrityError:  # served at the same moment by another request: take its row
        return ResourceVersion.objects.get(
            resource_type=resource["resourceType"], resource_id=resource["id"], version=version
        )


def history(resource_type: str, resource_id: str) -> list[ResourceVersion]:
    """Recorded versions, newest first."""
    return list(
        ResourceVersion.objects.filter(
            resource_type=resource_type, resource_id=resource_id
        ).order_by("-version")
    )


def version_body(row: ResourceVersion) -> dict[str, Any]:
    return _with_meta(row.body, row.version, row.recorded_at)


def etag(resource: dict[str, Any]) -> str:
    return f'W/"{resource["meta"]["versionId"]}"'


def last_modified(resource: dict[str, Any]) -> str:
    at = datetime.fromisoformat(resource["meta"]["lastUpdated"].replace("Z", "+00:00"))
    return format_datetime(at, usegmt=True)


def not_modified(headers: Any, resource: dict[str, Any]) -> bool:
    """Conditional read: If-None-Match (takes precedence) or If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match:
        tags = {t.strip() for t in if_none_match.split(",")}
        mine = etag(resource)
        return "*" in tags or mine in tags or mine.removeprefix("W/") in tags
    since = headers.get("If-Modified-Since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        updated = datetime.fromisoformat(resource["meta"]["lastUpdated"].replace("Z", "+00:00"))
        return updated.replace(microsecond=0) <= when
    return False
