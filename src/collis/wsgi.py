"""WSGI entry point (gunicorn collis.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collis.settings")
application = get_wsgi_application()
