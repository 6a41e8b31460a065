"""WSGI entry point (gunicorn collis.wsgi, and runserver)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")
application = get_wsgi_application()

# Without a broker, background jobs and the periodic schedule run on a thread of each web process.
from collis.jobs.backends import InProcessWorker, backend_name  # noqa: E402

if backend_name() == "thread":
    InProcessWorker.instance()
