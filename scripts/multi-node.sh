#!/usr/bin/env bash
# Several servers on this machine as plain processes (no containers): two gunicorn behind a
# small proxy, two Celery workers, one beat, Redis, PostgreSQL (127.0.0.1:5432, role collis) and
# an S3-compatible server (moto). Runs the demo (posture upload on web A, analysed by a worker,
# shown on web B) and exits 0 if it held. `--keep` leaves it running. See bench/cluster.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${VENV:-.venv}/bin/python" bench/multinode.py "$@"
