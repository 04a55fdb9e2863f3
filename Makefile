# chibo: `make run` serves the demo, `make test` runs every check. Nothing else needs installing
# by hand on a Debian machine with python3, make, git and npm.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP_APP := $(VENV)/.installed-app
STAMP_TEST := $(VENV)/.installed-test
STAMP_LOAD := $(VENV)/.installed-load
STAMP_NPM := node_modules/.installed
export DJANGO_SETTINGS_MODULE ?= chibo.settings.base

.PHONY: run test lint migrate demo serve assets install install-test system-test-deps \
	system-run-deps \
	bench load fuzz messages clean help

help:
	@echo "make run    install, migrate, load the demo and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install test tools and run ruff, mypy and the whole pytest suite"
	@echo "make fuzz   the API fuzzer at length (CHIBO_FUZZ_EXAMPLES=25 per operation, mode, role)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==25.3"

$(STAMP_APP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml $(STAMP_APP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(STAMP_LOAD): pyproject.toml $(STAMP_APP)
	$(BIN)/pip install --quiet -e ".[load]"
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP_APP) $(STAMP_NPM)
install-test: $(STAMP_TEST) $(STAMP_NPM)

assets: install
	$(BIN)/chibo collectstatic --noinput --verbosity 0

migrate: install
	@mkdir -p data
	$(BIN)/chibo migrate --noinput --verbosity 0

demo: migrate
	$(BIN)/chibo demo

serve: assets
	$(BIN)/gunicorn chibo.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
		--access-logfile - --graceful-timeout 5

# The worker (daily reminders) runs beside the web server and stops with it: Ctrl-C or a TERM
# to the whole group stops both. The worker gets its own session, so that a signal to the group
# does not reach its child processes behind its back (django-q2 then waits for them forever);
# the trap asks it to stop and it stops them in order.
run: demo system-run-deps
	$(BIN)/chibo schedule_setup
	@setsid $(BIN)/chibo qcluster & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(MAKE) --no-print-directory serve

.PHONY: worker
# Only the background worker, in the foreground (for a second terminal, or a service manager).
worker: migrate
	$(BIN)/chibo schedule_setup
	$(BIN)/chibo qcluster

# Browser tests need Debian's Chromium, PDF documents LibreOffice; as root the set-up installs
# them, otherwise they are skipped with the reason printed.
system-test-deps:
	@./scripts/ensure-system-packages.sh test

# PDF documents need LibreOffice: the pages offer them once it is there.
system-run-deps:
	@./scripts/ensure-system-packages.sh run

lint: install-test
	$(BIN)/ruff check chibo tests
	$(BIN)/ruff format --check chibo tests
	$(BIN)/mypy chibo

# As root, system-test-deps has installed Chromium, LibreOffice and the PostgreSQL client, so
# their tests must run: a missing one fails instead of skipping. Elsewhere they are skipped with
# the reason printed.
REQUIRE_SYSTEM := $(shell [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo 1 || echo 0)

test: install-test system-test-deps lint
	$(BIN)/chibo makemigrations --check --dry-run --verbosity 0 --settings=chibo.settings.test
	CHIBO_REQUIRE_BROWSER=$${CHIBO_REQUIRE_BROWSER:-$(REQUIRE_SYSTEM)} \
	CHIBO_REQUIRE_LIBREOFFICE=$${CHIBO_REQUIRE_LIBREOFFICE:-$(REQUIRE_SYSTEM)} \
	CHIBO_REQUIRE_PG_CLIENT=$${CHIBO_REQUIRE_PG_CLIENT:-$(REQUIRE_SYSTEM)} \
	DJANGO_SETTINGS_MODULE=chibo.settings.test $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The API fuzzer (tests/api/test_fuzz.py) at length: CHIBO_FUZZ_EXAMPLES draws per operation,
# mode (valid and invalid data) and role, where `make test` makes 3. Seeded, so it repeats.
CHIBO_FUZZ_EXAMPLES ?= 25
fuzz: install-test system-test-deps
	CHIBO_FUZZ_EXAMPLES=$(CHIBO_FUZZ_EXAMPLES) DJANGO_SETTINGS_MODULE=chibo.settings.test \
		$(BIN)/pytest -s -p no:xdist tests/api/test_fuzz.py $(PYTEST_ARGS)

# Latency of the dashboard, the progress API and the organization tree against /ping, at
# district and province scale, on SQLite and on a PostgreSQL database made and dropped for it
# (CHIBO_BENCH_PG: the server, by default the local one). Writes bench/results/latest.json.
bench: assets
	$(BIN)/python bench/run.py

# 100 logged-in users (locust, on loopback) reading pages, tapping attendance and saving
# registrations for 3 minutes under gunicorn as `make serve` runs it, on SQLite and on a
# PostgreSQL database made and dropped for it; stops by itself, fails on any failed request or a
# "database is locked". LOAD_USERS, LOAD_SECONDS, LOAD_DBS narrow a run. Adds its records to
# bench/results/latest.json.
load: assets $(STAMP_LOAD)
	$(BIN)/python -m bench.load

# Refresh the Vietnamese catalogue after changing user-facing text (needs GNU gettext's
# xgettext: apt-get install gettext), then compile it; the compiled .mo is committed so that
# running chibo needs no gettext.
messages: install-test
	$(BIN)/chibo makemessages -l vi --no-location --ignore ".venv/*" --ignore "node_modules/*" \
		--ignore "tests/*" --ignore "bench/*"
	$(BIN)/python scripts/messages.py

clean:
	rm -rf $(VENV) node_modules staticfiles .mypy_cache .ruff_cache
