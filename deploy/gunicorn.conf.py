"""gunicorn settings for Collis (web in serve-prod, the container image and Kubernetes).

Everything can be overridden by the environment: BIND, WEB_CONCURRENCY, WEB_THREADS,
WEB_PRELOAD (true), WEB_MAX_REQUESTS (20000).
Access lines come from Collis's own middleware (ISO 8601 UTC, request id, route pattern rather
than the raw path), so gunicorn's access log stays off.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "1"))
pythonpath = os.environ.get("COLLIS_PYTHONPATH", "src")
timeout = 60
graceful_timeout = 20
# Import Django and Collis once in the master and fork the workers from it: importing them costs
# ~1.5 s of CPU (scipy, reportlab ...), which without this every worker paid at every recycle,
# stalling requests on a busy 2-core machine (issue #20). Code changes need a restart, not HUP.
preload_app = os.environ.get("WEB_PRELOAD", "true").lower() not in {"0", "false", "no", "off"}
# Recycle workers now and then so a slow leak cannot grow without bound; at ~40 requests/s
# per worker under the load test, 2000 recycled each worker about once a minute.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = None
errorlog = "-"
# Behind a proxy on the same host or pod network: trust its X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):  # noqa: ANN001, ANN201, ARG001 - gunicorn's hook signature
    """With preload, also import every view and compile the base templates before forking.

    Django imports the URLconf (and with it every view module) at the first request; done here
    once, a new or recycled worker answers its first request as fast as its thousandth.
    """
    if not preload_app:
        return
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views
    for name in ("base.html", "home.html", "404.html"):
        get_template(name)


def post_fork(server, worker):  # noqa: ANN001, ANN201, ARG001 - gunicorn's hook signature
    """No database or cache connection opened in the master may be shared by a worker."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()
