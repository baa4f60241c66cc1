# Two commands for a new machine: `make run` and `make test`. The rest serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
NPM_TOOLS := vnu-jar@26.9.27 axe-core@4.14.1

.PHONY: run test install install-dev translations extract-messages lint format migration bench bench-deploy bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations

install-dev: $(VENV)/.installed-dev translations node_modules/.installed

# The compiled catalogues are built, never committed.
translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d translations --statistics

node_modules/.installed:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-save --no-package-lock --no-audit --no-fund $(NPM_TOOLS) && touch $@; \
	else echo "npm not found: the HTML and accessibility checks will be skipped"; fi

# The notification worker runs beside the server and stops with it (Ctrl-C ends both).
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	@$(FLASK) notifications work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-dev
	@if [ -x /usr/bin/chromium ]; then /usr/bin/chromium --version 2>/dev/null | head -1; \
	else echo "Chromium not found: browser tests skip. Install it with: sudo apt-get install chromium"; fi
	@$(BIN)/python -c "import importlib.metadata as m; print('playwright', m.version('playwright'))"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Update the catalogues from the source (then translate the new German entries).
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --project Diskurs --ignore-dirs=".*" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/python scripts/fill_english_catalogue.py translations/en/LC_MESSAGES/messages.po

# Builds a benchmark site in DISKURS_DATABASE_URL (default: a SQLite file in bench/results/)
# and measures it against the ceiling; SIZE=large adds the growth run (use PostgreSQL).
SIZE ?= small
bench: install-dev
	$(BIN)/python bench/run.py --size $(SIZE) $(BENCH_ARGS)

# The deployment's figures (bench/deploy.py): nginx in front with its cache, PostgreSQL, the
# popular article under a stream of comments, and the time of posting one. Needs nginx, wrk
# and a PostgreSQL server; the database is created (or refilled if it is a benchmark site).
BENCH_DATABASE ?= postgresql+psycopg://postgres@127.0.0.1:5432/diskurs_bench
bench-deploy: install-dev
	DISKURS_DATABASE_URL=$${DISKURS_DATABASE_URL:-$(BENCH_DATABASE)} $(BIN)/python bench/deploy.py $(BENCH_ARGS)

# Search latency on the benchmark site, in-process (bench/search.py); SEARCH_ARGS=--reuse
# searches the site the last run built instead of building it again.
bench-search: install-dev
	$(BIN)/python bench/search.py --size $(SIZE) $(SEARCH_ARGS)

clean:
	rm -rf $(VENV) node_modules instance/diskurs.sqlite3 .pytest_cache

# After a model change: a new migration, generated against a database at the current head.
# Name it: make migration REV=0007 MSG="what changed"
migration: $(VENV)/.installed
	rm -f /tmp/diskurs-schema.sqlite3
	DISKURS_DATABASE_URL=sqlite:////tmp/diskurs-schema.sqlite3 $(FLASK) db upgrade
	DISKURS_DATABASE_URL=sqlite:////tmp/diskurs-schema.sqlite3 $(FLASK) db migrate --rev-id $(REV) -m "$(MSG)"
	rm -f /tmp/diskurs-schema.sqlite3
