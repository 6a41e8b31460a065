"""gunicorn settings for Collis (web in serve-prod, the container image and Kubernetes).

Everything can be overridden by the environment: BIND, WEB_CONCURRENCY, WEB_THREADS.
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
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = None
errorlog = "-"
# Behind a proxy on the same host or pod network: trust its X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
