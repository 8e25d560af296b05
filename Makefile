# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing
# and are safe to run again. See README.md for the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 3
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help setup system system-test db run serve test lint format lock stop demo messages clean bench soak backup restore replica replica-stop

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

system:
	@bin/ensure-system-packages run
system-test:
	@bin/ensure-system-packages test

$(VENV)/.installed: requirements.lock
	@command -v python3.11 >/dev/null || python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' \
	  || { echo "error: Python 3.11 is required"; exit 1; }
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

locale/%.mo: locale/%.po
	@msgfmt --check -o $@ $<

db:
	@bin/pg-local start

setup: system $(VENV)/.installed node_modules/.installed $(MO_FILES) db
	@$(MANAGE) preflight
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) load_boundary
	@$(MANAGE) load_settlements -v 0

demo: setup ## Load the demo data (once) and the demo accounts (done by `make run`)
	@$(MANAGE) load_registries
	@$(MANAGE) load_report_categories
	@$(MANAGE) generate_demo_data --once
	@$(MANAGE) create_demo_users
	@$(MANAGE) load_indicators --values-as editor --values-reviewer reviewer -v 0

run: demo ## Install what is missing, start PostGIS, load the demo and serve on http://127.0.0.1:8000
	@$(MANAGE) preflight --port $(PORT) >/dev/null
	@$(MANAGE) collectstatic --no-input -v 0
	@echo "Serving the geoportal on http://$(HOST):$(PORT)/ (Ctrl+C stops; 'make stop' stops PostGIS)"
	@bin/serve $(HOST) $(PORT) $(WORKERS)

test: system-test setup ## Install what is missing, then lint, checks, bandit and the audits (bin/audit), the whole test suite
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(MANAGE) check --fail-level WARNING
	@$(MANAGE) makemigrations --check --dry-run
	@bin/audit
	@$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed ## Lint and format-check
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## Format the code and fix what ruff can fix
	@$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

messages: $(VENV)/.installed ## Update the translation catalogues (locale/*.po)
	@$(MANAGE) makemessages -l uk -l en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'
	@$(MANAGE) makemessages -d djangojs -l uk -l en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'

lock: $(VENV)/.installed ## Re-pin the Python dependencies from pyproject.toml
	@CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile -q --extra dev --strip-extras \
	  --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

bench: system $(VENV)/.installed node_modules/.installed db ## Benchmark GeoJSON and tiles vs PostGIS, drf-gis, pygeoapi, tipg (QUICK=1: <5 min)
	@QUICK=$(QUICK) bench/run.sh

backup: db ## Back up the database and the uploaded files to var/backups/<time> (BACKUP=folder)
	@bin/backup create $(BACKUP)

restore: db ## Restore a backup (BACKUP=var/backups/<time>); stop the portal first
	@[ -n "$(BACKUP)" ] || { echo "usage: make restore BACKUP=var/backups/<time>"; exit 2; }
	@bin/backup restore $(BACKUP)

soak: system $(VENV)/.installed db ## 10 minutes of mixed load, then PostgreSQL killed mid-write (SOAK_SECONDS=…)
	@$(PY) -m bench.soak

stop: ## Stop the local PostGIS cluster
	@bin/pg-local stop

replica: db ## Start a hot standby of the local cluster on port 54330 (pg_basebackup, streaming)
	@bin/pg-replica start

replica-stop: ## Stop the local hot standby
	@bin/pg-replica stop

clean: stop ## Remove the virtualenv, node_modules and var/ (the local database too)
	rm -rf $(VENV) node_modules var
