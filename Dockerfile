# One image for every Collis process; the command picks the role:
#   web (gunicorn), worker (Celery), beat (Celery beat, run exactly one), migrate, or any command.
# Build:  docker build -t collis .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COLLIS_HOME=/app \
    COLLIS_VAR_DIR=/var/lib/collis \
    COLLIS_PYTHONPATH=/app/src \
    PYTHONPATH=/app/src \
    BIND=0.0.0.0:8000

# pg_dump/pg_restore for backups; the GL and GLib runtime OpenCV (posture analysis) loads.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client libgl1 libglib2.0-0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md manage.py ./
COPY src ./src
RUN pip install --no-cache-dir .
COPY deploy ./deploy

# Static files are built into the image (whitenoise serves them); the key is a build-time dummy.
RUN DEBUG=false SECRET_KEY="build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" \
    python manage.py collectstatic --noinput -v0

RUN useradd --system --uid 10001 --home-dir /var/lib/collis collis \
 && mkdir -p /var/lib/collis && chown collis /var/lib/collis
USER collis
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
