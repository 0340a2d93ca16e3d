# Polku: `make run` sets everything up and starts the app; `make test` installs what tests need and runs them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# `make run` is the embedded demo: debug on, SQLite, two-factor authentication optional.
RUN_ENV := POLKU_DEBUG=$${POLKU_DEBUG:-1} POLKU_REQUIRE_MFA=$${POLKU_REQUIRE_MFA:-0}

.PHONY: install setup run lock upgrade smoke test test-e2e lint format messages vendor check-deploy clean bench bench-import

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Everything is installed from requirements.txt, the lock: exact versions with their hashes, made from
# pyproject.toml's ranges (`make lock`, `make upgrade`). The venv's own pip installs it, so a fresh
# machine gets exactly what was tested; Polku itself goes in editable, with no dependencies of its own.
$(VENV)/.installed: requirements.txt pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# make run's set-up without the server: migrate the SQLite database in var/ and load the demo data.
setup: $(VENV)/.installed
	@mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo

# The test identity provider for clients' own Polku (/portal/) runs beside the server on loopback and
# stops with it (scripts/portal_idp.py offers the demo clients; README "The client's own Polku").
IDP_PORT ?= 9400
run: setup
	@echo ""
	@echo "Polku is starting at http://127.0.0.1:$(PORT)/  (stop it with Ctrl+C)"
	@echo "Clients log in at http://127.0.0.1:$(PORT)/portal/ through the test provider on port $(IDP_PORT)."
	@$(RUN_ENV) $(PY) scripts/portal_idp.py --port $(IDP_PORT) & IDP=$$!; \
	trap 'kill $$IDP 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) POLKU_PORTAL_OIDC_ISSUER=$${POLKU_PORTAL_OIDC_ISSUER:-http://127.0.0.1:$(IDP_PORT)} \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The lock from pyproject.toml's ranges, keeping every version that still fits them.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml build-requirements.txt --extra dev --generate-hashes \
	--python-version 3.11 --universal --quiet -o requirements.txt

lock: $(VENV)/.installed
	$(LOCK)

# The newest versions pyproject.toml allows, then the whole check (lint, suite); prints what changed.
upgrade: $(VENV)/.installed
	@cp requirements.txt $(VENV)/requirements.before
	$(LOCK) --upgrade
	@$(PY) scripts/lock_changes.py $(VENV)/requirements.before requirements.txt
	$(MAKE) lint test

# What `make run` does on a fresh clone, then one real request through it (CI runs this first).
smoke: setup
	$(PY) scripts/smoke_run.py

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

test-e2e: $(VENV)/.installed
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	POLKU_DEBUG=1 $(VENV)/bin/mypy
	POLKU_DEBUG=1 DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract translatable text into the .po files (then translate them by hand) and compile the .mo files.
messages: $(VENV)/.installed
	cd src/polku && POLKU_DEBUG=1 ../../$(PY) ../../manage.py makemessages --no-obsolete --no-location -l fi -l sv -l en
	cd src/polku && POLKU_DEBUG=1 ../../$(PY) ../../manage.py compilemessages

# Refresh the vendored hds-core, htmx and axe-core from the npm registry (versions pinned in the script).
vendor:
	./scripts/vendor-assets.sh

# Stand-ins for unset production secrets; a POLKU_REDIS_URL set empty stays empty (no Redis), so a
# deployment without one is checked as it is.
check-deploy: $(VENV)/.installed
	POLKU_DEBUG=0 POLKU_SECRET_KEY=$${POLKU_SECRET_KEY:-check-deploy-only-$$(date +%s)-a-long-random-looking-value-xyz} \
	POLKU_ALLOWED_HOSTS=$${POLKU_ALLOWED_HOSTS:-polku.example} \
	POLKU_IDENTITY_CODE_KEYS=$${POLKU_IDENTITY_CODE_KEYS:-$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')} \
	POLKU_IDENTITY_LOOKUP_KEY=$${POLKU_IDENTITY_LOOKUP_KEY:-check-deploy-only-lookup-key-0123456789abcdef} \
	POLKU_REDIS_URL=$${POLKU_REDIS_URL-redis://127.0.0.1:6379/0} \
	POLKU_AUDIT_ANCHOR_KEY=$${POLKU_AUDIT_ANCHOR_KEY:-check-deploy-only-audit-anchor-key-0123456789abcdef} \
	$(PY) manage.py check --deploy --fail-level WARNING

# Load test (bench/README.md): PostgreSQL seeded once with BENCH_SCALE synthetic clients (100,000 by
# default; minutes the first time), then gunicorn measured on the caseload, client overview and /healthz/.
bench: $(VENV)/.installed
	$(PY) bench/http_load.py --setup --scale $${BENCH_SCALE:-100000}
	$(PY) bench/http_load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Registry extract import (bench/README.md): a 300,000-row extract on PostgreSQL (database polku_importbench).
bench-import: $(VENV)/.installed
	$(PY) bench/import.py $(BENCH_ARGS)
