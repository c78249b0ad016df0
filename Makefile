# CareHub: `make run` serves the demo, `make test` runs the whole suite.
# Both install what they need and start the project's own PostgreSQL (scripts/pg.sh)
# unless DATABASE_URL points at an existing server.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

UV ?= uv
# DATABASE_URL from the environment, else the project's own cluster.
DB_URL = $${DATABASE_URL:-$$(scripts/pg.sh url)}
SECRET = $${SECRET_KEY:-$$(cat .secret-key)}
DJANGO_ENV = DATABASE_URL="$(DB_URL)" SECRET_KEY="$(SECRET)"
MANAGE = $(DJANGO_ENV) $(UV) run --frozen python manage.py

.PHONY: help install db db-stop migrate demo run serve test lint check-deploy clean bench

help:
	@echo "make run       install, start PostgreSQL, migrate, load demo data, serve on http://localhost:8000"
	@echo "make test      install, start PostgreSQL, run the whole test suite (browser tests included)"
	@echo "make lint      ruff format --check and ruff check"
	@echo "make bench     measure exports and the history page (writes bench/results.json)"
	@echo "make db-stop   stop the PostgreSQL cluster this project started"

install: .secret-key static/dist/carehub.css
	@command -v $(UV) >/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --frozen

# Front-end packages and the compiled assets are rebuilt only when their inputs change.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/dist/carehub.css: node_modules/.package-lock.json $(wildcard static/src/*)
	npm run --silent build

.secret-key:
	@umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

db:
	@if [ -z "$${DATABASE_URL:-}" ]; then scripts/pg.sh start; fi

db-stop:
	@scripts/pg.sh stop

migrate: install db
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo_data

run: demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo
	@echo "CareHub is starting on http://localhost:8000 (Ctrl-C stops it; make db-stop stops PostgreSQL)."
	@echo "Sign in with one of the demo logins above (also in .demo-logins.json)."
	HTTPS_ONLY=false ALLOWED_HOSTS=127.0.0.1,localhost $(DJANGO_ENV) \
		$(UV) run --frozen gunicorn carehub.wsgi:application --bind 127.0.0.1:8000 --workers 2 \
		--worker-class gthread --threads 4

test: install db
	$(MANAGE) collectstatic --noinput --verbosity 0
	HTTPS_ONLY=false $(DJANGO_ENV) $(UV) run --frozen pytest $(PYTEST_ARGS)

lint: install
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen ruff check .

# Benchmarks: builds its own data set in a separate database, writes bench/results.json.
bench: install db
	$(DJANGO_ENV) $(UV) run --frozen python bench/run.py

check-deploy: install db
	$(DJANGO_ENV) DEBUG=false $(UV) run --frozen python manage.py check --deploy --fail-level WARNING
