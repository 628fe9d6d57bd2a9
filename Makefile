# Đôn Đốc — developer tasks (GNU make).
#
#   make install   create .venv and install the project with dev extras
#   make run       migrate, load demo data, start a Celery worker and the dev server
#   make test      ruff + migration check + pytest (honours DATABASE_URL / REDIS_URL)
#
# Recipe lines are indented with TABs.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Interpreter used to create the virtualenv: python3.11 when present, else python3.
PYTHON ?= $(if $(shell command -v python3.11 2>/dev/null),python3.11,python3)
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.dondoc-installed

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

VAR_DIRS := var/log var/mail var/media var/celery

.PHONY: help install dirs run worker test lint fmt clean

help: ## Show this help
	@echo "Đôn Đốc — các lệnh make:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Biến: PYTHON=$(PYTHON) VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) PYTEST_ARGS=$(PYTEST_ARGS)"

install: $(STAMP) ## Create the virtualenv and install the project (pip install -e ".[dev]")

# Re-runs only when pyproject.toml is newer than the stamp (or the venv is gone).
$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ]; then echo "Creating virtualenv $(VENV) with $(PYTHON)"; $(PYTHON) -m venv "$(VENV)"; fi
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e ".[dev]"
	@touch "$@"

dirs:
	@mkdir -p $(VAR_DIRS)

run: install dirs ## Migrate, seed demo data, start worker (+beat) in background and runserver
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@$(BIN)/celery -A tracker worker -B --loglevel=info --concurrency=2 \
		--schedule var/celerybeat-schedule >>var/log/worker.log 2>&1 & \
	worker_pid=$$!; \
	stop_worker() { \
		if kill -0 "$$worker_pid" 2>/dev/null; then \
			echo "Dừng Celery worker (pid $$worker_pid)…"; \
			kill -TERM "$$worker_pid" 2>/dev/null || true; \
			for _ in $$(seq 1 20); do kill -0 "$$worker_pid" 2>/dev/null || break; sleep 0.5; done; \
			kill -KILL "$$worker_pid" 2>/dev/null || true; \
		fi; \
	}; \
	trap stop_worker EXIT; \
	trap 'exit 130' INT; \
	trap 'exit 143' TERM; \
	echo "Celery worker + beat đang chạy (pid $$worker_pid), log: var/log/worker.log"; \
	echo "Đôn Đốc đang chạy tại http://$(HOST):$(PORT)/ — trang quản trị: http://$(HOST):$(PORT)/admin/"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install dirs ## Run only the Celery worker (+beat) in the foreground
	$(BIN)/celery -A tracker worker -B --loglevel=info --concurrency=2 --schedule var/celerybeat-schedule

test: install dirs ## ruff check, ruff format --check, makemigrations --check, pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff check + ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## ruff format + ruff check --fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: messages
messages: install ## Extract the English catalogue (locale/en) and compile it; needs GNU gettext
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --no-obsolete
	$(PY) manage.py compilemessages -l en --ignore=.venv

clean: ## Remove var/ (SQLite db, mail, media, logs) and caches; keeps .venv
	rm -rf var/ .pytest_cache .ruff_cache staticfiles/ build/ dist/ *.egg-info
	find . -path ./$(VENV) -prune -o -path ./.git -prune -o \
		\( -name __pycache__ -type d -prune -exec rm -rf {} + \) -o \( -name '*.py[co]' -type f -delete \)
