# Stormdraft: set up, run, test, lint and benchmark the studio.
#
#   make setup   prepare everything (fast when nothing changed)
#   make run     migrate the database, then serve on http://127.0.0.1:8000
#   make test    the whole test suite; its last line is pytest's summary
#   make lint    ruff (lint and format check) and mypy
#   make bench   every bench/bench_*.py script
#
# Works from a fresh clone on Debian as root (or with sudo for apt-get).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
SETUP_LOG := $(STAMPS)/setup.log
PG_HOST := 127.0.0.1
PG_PORT := 5432
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends

.PHONY: help setup system-packages run test postgres lint bench

help:
	@sed -n '1,8p' Makefile | sed 's/^# \{0,1\}//'

setup: system-packages $(STAMPS)/python-deps static/vendor/.copied

# Each check is cheap; apt-get runs only for what is missing.
system-packages:
	@missing=(); \
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv); \
	command -v dot >/dev/null || missing+=(graphviz); \
	test -x /usr/bin/chromium || missing+=(chromium); \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing+=(fonts-dejavu-core); \
	command -v npm >/dev/null || missing+=(nodejs npm); \
	if (( $${#missing[@]} )); then \
	  echo "installing $${missing[*]}"; \
	  $(SUDO) apt-get update -q && $(APT_INSTALL) "$${missing[@]}"; \
	fi

$(VENV)/pyvenv.cfg: | system-packages
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Stormdraft needs Python 3.11 or newer as $(PYTHON)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed or the virtual environment is new.
$(STAMPS)/python-deps: pyproject.toml $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

# npm writes node_modules/.package-lock.json, so a deleted node_modules reinstalls.
node_modules/.package-lock.json: package.json package-lock.json | system-packages
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/.copied: node_modules/.package-lock.json
	npm run --silent vendor
	@touch $@

run: setup
	$(BIN)/alembic upgrade head
	$(BIN)/stormdraft seed
	$(BIN)/stormdraft serve --host 127.0.0.1 --port 8000

# Set-up output goes to a log that is shown only when set-up fails, so the
# last line printed is pytest's own summary.
test:
	@mkdir -p $(STAMPS)
	@$(MAKE) --no-print-directory setup postgres >$(SETUP_LOG) 2>&1 \
	  || { cat $(SETUP_LOG); echo "make setup failed (log: $(SETUP_LOG))" >&2; exit 1; }
	@$(BIN)/python -m pytest -n 2

postgres:
	@if ! (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; then \
	  echo "starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  for _ in $$(seq 30); do (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null && break; sleep 1; done; \
	  (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null \
	    || { echo "PostgreSQL does not answer on $(PG_HOST):$(PG_PORT)" >&2; exit 1; }; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app

bench: setup
	@for script in bench/bench_*.py; do \
	  [ -e "$$script" ] || continue; \
	  echo "== $$script"; \
	  $(BIN)/python "$$script"; \
	done
