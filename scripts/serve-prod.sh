#!/usr/bin/env bash
# Production mode on one machine under supervisord: gunicorn, and the Celery worker and beat when
# a broker is configured. supervisord restarts whichever process dies (a killed worker no longer
# takes the site down, as `wait -n` did). Needs SECRET_KEY; DATABASE_URL defaults to SQLite under
# var/ (the small-clinic path: WAL, busy timeout). See README "Production".
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SECRET_KEY:?set SECRET_KEY (50+ random characters)}"
export DEBUG=false
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Plain HTTP on loopback unless a TLS proxy sits in front (then leave these at their defaults).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export SECURE_COOKIES="${SECURE_COOKIES:-false}"
export COLLIS_HOME="$PWD"
export COLLIS_VAR_DIR="${COLLIS_VAR_DIR:-$PWD/var}"
# The code of this checkout first (a shared virtualenv may hold another copy of collis).
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
export COLLIS_BIN="$(cd "${VENV:-.venv}/bin" && pwd)"
export BIND="${BIND:-127.0.0.1:8000}"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}"
export CELERY_CONCURRENCY="${CELERY_CONCURRENCY:-1}"
export COLLIS_NODE="${COLLIS_NODE:-1}"
mkdir -p "$COLLIS_VAR_DIR"

if [ -n "${CELERY_BROKER_URL:-}" ]; then
  export COLLIS_CELERY=true
  # Exactly one beat across all machines: run it on one node (COLLIS_BEAT=false elsewhere); its
  # Redis lock (collis.jobs.beat) keeps a second one idle if it is started by mistake.
  export COLLIS_BEAT="${COLLIS_BEAT:-true}"
else
  export COLLIS_CELERY=false COLLIS_BEAT=false
  echo "CELERY_BROKER_URL is not set: background jobs run in-process in each web worker."
fi

"$COLLIS_BIN/python" manage.py migrate --noinput
"$COLLIS_BIN/python" manage.py collectstatic --noinput -v0

echo "Collis (production mode) on http://$BIND/ with $WEB_CONCURRENCY gunicorn workers"
exec "$COLLIS_BIN/supervisord" -n -c deploy/supervisord.conf
