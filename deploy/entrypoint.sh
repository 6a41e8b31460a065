#!/bin/sh
# The container's roles. One process per container: the orchestrator (compose, Kubernetes)
# restarts it when it dies; inside one machine without containers, supervisord does.
set -eu
role="${1:-web}"
case "$role" in
  web)     exec gunicorn collis.wsgi:application -c /app/deploy/gunicorn.conf.py ;;
  worker)  exec celery -A collis worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" ;;
  beat)    exec celery -A collis beat --loglevel=INFO \
             --scheduler=collis.jobs.beat:SingleBeatScheduler \
             --schedule="${COLLIS_VAR_DIR}/celerybeat-schedule" ;;
  migrate) exec python /app/manage.py migrate --noinput ;;
  *)       exec "$@" ;;
esac
