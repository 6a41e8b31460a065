"""Cached HTML fragments of the public pages, identical for every anonymous visitor (issue #20).

Rendering the home page, the directory, a provider and an education page costs more CPU than
anything else a visitor asks for, and the result is the same for every anonymous visitor who
reads the same address in the same language. ``{% publiccache "name" %}...{% endpubliccache %}``
(template library ``publiccache``) caches such a block in the default cache, keyed by:

- the fragment's name, the request's full path (query string included) and its extra arguments;
- the active language;
- the *public content version*: a token in the cache replaced at, and after the commit of, every
  change to a model registered with :func:`watch_public_models` (clinic, locations, providers,
  education pages), so an edit shows at once on every server sharing the cache;
- the *release*: a digest of the code, templates, translations and shipped content, so a
  deployment never serves the previous release's HTML.

What is never cached: anything for a signed-in user (their block renders fresh, so a user's
page can never come from, or go into, an anonymous entry), and any block whose HTML carries a
CSRF token (checked on every render). With the cache unreachable the block renders uncached.

On by default only when the cache is shared (``CACHE_URL``): with Django's per-process memory
cache an edit made in one gunicorn worker could not retire another worker's copies.
``PUBLIC_FRAGMENT_CACHE`` overrides that (a single-process server may turn it on).
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

logger = logging.getLogger("collis.cache")

VERSION_KEY = "collis:public-content-version"
CSRF_MARKER = "csrfmiddlewaretoken"
_REQUEST_VERSION = "_collis_public_content_version"


class _LocalCopies:
    """The last few entries this process read, so a hit costs no trip to Redis.

    Safe because every key carries the content version read from the shared cache on each
    request: after an edit the version changes, so no request can look up an old copy.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, default: Any) -> Any:
        with self.lock:
            if key not in self.entries:
                return default
            self.entries.move_to_end(key)
            return self.entries[key]

    def set(self, key: str, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_local = _LocalCopies()
_MISSING = object()


def _get(key: str) -> Any:
    value = _local.get(key, _MISSING)
    if value is _MISSING:
        value = default_cache.get(key, _MISSING)
        if value is not _MISSING:
            _local.set(key, value)
    return value


def _set(key: str, value: Any) -> None:
    _local.set(key, value)
    default_cache.set(key, value, timeout=settings.PUBLIC_FRAGMENT_CACHE_SECONDS)


def enabled() -> bool:
    return bool(getattr(settings, "PUBLIC_FRAGMENT_CACHE", False))


@cache
def release() -> str:
    """A digest of what the cached HTML is made from besides the database (one per process)."""
    from django.apps import apps

    digest = hashlib.sha256()
    roots = {Path(settings.BASE_DIR)}  # the collis package: code, templates, content
    roots |= {Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])}
    roots |= {Path(p) for p in settings.LOCALE_PATHS}
    roots |= {Path(c.path) for c in apps.get_app_configs() if c.name.startswith("collis.")}
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".html", ".mo", ".md", ".txt", ".json"} and path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def content_version() -> str | None:
    """The current public content version, or None when the cache cannot be used."""
    try:
        version = default_cache.get(VERSION_KEY)
        if version is None:
            fresh = uuid.uuid4().hex
            if default_cache.add(VERSION_KEY, fresh, timeout=None):
                return fresh
            version = default_cache.get(VERSION_KEY)
    except Exception:  # noqa: BLE001 - a cache outage (CacheUnavailable) means: render uncached
        return None
    return version


def bump_content_version() -> None:
    """Retire every cached public fragment (after a committed edit of public content)."""
    default_cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _changed(sender: Any, **kwargs: Any) -> None:
    # Now, so the writer's own connection sees its edit at once, and again after commit: a
    # request that read the new version before the commit may have cached the old rows under it.
    bump_content_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump_content_version, robust=True)


def watch_public_models(app_label: str) -> None:
    """Bump the content version on every save, delete and many-to-many change in this app."""
    from django.apps import apps

    for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
        uid = f"collis-public-content-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
        m2m_changed.connect(_changed, sender=model, dispatch_uid=uid + "-m2m")


def _anonymous(request: Any) -> bool:
    user = getattr(request, "user", None)
    return request is not None and user is not None and not user.is_authenticated


def _request_version(request: Any) -> str | None:
    if not hasattr(request, _REQUEST_VERSION):
        setattr(request, _REQUEST_VERSION, content_version())
    return getattr(request, _REQUEST_VERSION)


def fragment_key(request: Any, name: str, vary: tuple[Any, ...], version: str) -> str:
    parts = [name, translation.get_language() or "", version, release(), request.get_full_path()]
    parts += [str(v) for v in vary]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"collis:fragment:{name}:{digest}"


def cached_fragment(
    request: Any, name: str, vary: tuple[Any, ...], render: Callable[[], str]
) -> str:
    """``render()``, from the cache when the request is anonymous and the cache is usable."""
    if not enabled() or not _anonymous(request):
        return render()
    version = _request_version(request)
    if version is None:
        return render()
    key = fragment_key(request, name, vary, version)
    html = _get(key)
    if html is not _MISSING:
        return html
    html = render()
    if CSRF_MARKER in html:
        logger.warning("fragment %s carries a CSRF token: not cached", name)
        return html
    _set(key, html)
    return html


def cached_value(request: Any, name: str, compute: Callable[[], Any]) -> Any:
    """A public value (the clinic) cached under the content version, for every visitor."""
    if not enabled() or request is None:
        return compute()
    version = _request_version(request)
    if version is None:
        return compute()
    key = f"collis:value:{name}:{version}"
    value = _get(key)
    if value is _MISSING:
        value = compute()
        _set(key, value)
    # A copy: requests in other threads of this process read the same cached object.
    return copy.copy(value)
