"""Collis: an open-source clinic system for cervical dystonia.

Settings, URLs, WSGI/ASGI and the Celery app live here; each capability is an app below
(`education`, `providers`, `scheduling`, ...), a thin Django shell around a pure core.
The `posture` package is pure Python and imports nothing from Django.
"""
