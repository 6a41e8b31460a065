#!/usr/bin/env bash
# Production mode on one machine: gunicorn (several workers) + Celery worker and beat when a
# broker is configured. Needs SECRET_KEY and DATABASE_URL; see README "Production".
set -euo pipefail
: "${SECRET_KEY:?set SECRET_KEY (50+ random characters)}"
: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://collis:collis@127.0.0.1:5432/collis}"
export DEBUG=false
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Plain HTTP on loopback unless a TLS proxy sits in front (then leave these at their defaults).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export SECURE_COOKIES="${SECURE_COOKIES:-false}"
BIN="${VENV:-.venv}/bin"
BIND="${BIND:-127.0.0.1:8000}"
WORKERS="${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}"

"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput -v0

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait; }
trap cleanup EXIT INT TERM

if [ -n "${CELERY_BROKER_URL:-}" ]; then
  "$BIN/celery" -A collis worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-1}" &
  pids+=($!)
  "$BIN/celery" -A collis beat --loglevel=INFO --schedule="${COLLIS_VAR_DIR:-var}/celerybeat-schedule" &
  pids+=($!)
else
  echo "CELERY_BROKER_URL is not set: background jobs run in-process in each web worker."
fi

echo "Collis (production mode) on http://$BIND/ with $WORKERS gunicorn workers"
"$BIN/gunicorn" collis.wsgi:application --pythonpath src --bind "$BIND" --workers "$WORKERS" \
  --access-logfile - --graceful-timeout 20 --timeout 60 &
pids+=($!)
wait -n
