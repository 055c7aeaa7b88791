# The two commands of the README: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test lint openapi translations clean bench

# The virtual environment, installed exactly as the lock files pin it (hashes checked).
$(VENV)/.runtime: requirements.lock requirements-pip.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements-pip.lock
	$(PIP) install --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(PIP) install --require-hashes -r requirements-dev.lock
	touch $@

## Serve the API with gunicorn on $HOST:$PORT over $DATABASE_URL (default: SQLite under instance/),
## and beside it the worker (webhook deliveries, reminders) with its clock; stopped together.
run: $(VENV)/.runtime
	$(BIN)/flask --app wsgi setup
	$(BIN)/celery --app worker.app worker --beat --pool solo --loglevel warning & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

## ruff and mypy (pyproject.toml), then the whole suite on SQLite, and again on PostgreSQL
## when TEST_DATABASE_URL is set.
test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- the same suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/python -m pytest --database-url "$$TEST_DATABASE_URL"; \
	fi

## Regenerate the committed OpenAPI document from the code.
openapi: $(VENV)/.runtime
	$(BIN)/flask --app wsgi openapi write --format json openapi/openapi.json

## Bring api/translations/*/LC_MESSAGES/messages.po up to date with the code's texts; list
## what still needs its Dutch (tests/unit/test_catalogue.py fails until none does).
translations: $(VENV)/.runtime
	$(BIN)/flask --app wsgi translations

## Measure quality.md's Performance table; also on PostgreSQL when TEST_DATABASE_URL is set.
bench: $(VENV)/.dev
	$(BIN)/python -m bench.run

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV)
