# Ceasefire: `make demo` serves the demo scenario, `make test` runs every check.
# Both build the virtual environment and install the Debian packages they need when missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SOURCES := src tests bench
DEMO_DATA ?= $(CURDIR)/var/demo
TEST_DATA ?= $(CURDIR)/var/test

.PHONY: docs demo test lint typecheck pytest bench install system-deps-demo system-deps-test vendor clean messages forms screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

system-deps-demo:
	@bash scripts/system-deps.sh demo

system-deps-test:
	@bash scripts/system-deps.sh test

demo: install system-deps-demo
	CEASEFIRE_DATA_DIR=$${CEASEFIRE_DATA_DIR:-$(DEMO_DATA)} $(BIN)/ceasefire demo

lint: install
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: install
	CEASEFIRE_DATA_DIR=$(TEST_DATA) $(BIN)/mypy src tests $(wildcard bench/*.py)

pytest: install system-deps-test
	CEASEFIRE_DATA_DIR=$(TEST_DATA) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck pytest

# Documentation generated from the code (the log's entry types).
docs: install
	CEASEFIRE_DATA_DIR=$(TEST_DATA) $(BIN)/python -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ceasefire.settings'); django.setup(); from ceasefire.ledger.docs import render; open('docs/log.md', 'w').write(render())"

# The shipped XLSForms (src/ceasefire/fieldsync/forms/xlsx/), written from their Python
# definitions; tests fail while they are out of date.
forms: install
	CEASEFIRE_DATA_DIR=$(TEST_DATA) $(BIN)/ceasefire manage fieldsync_forms

# Translations (docs/i18n.md): extract every marked string into its app's catalogue
# (src/ceasefire/<app>/locale/<language>/LC_MESSAGES/django.po) and compile the .mo files, which
# are committed so that `make demo` needs no gettext. Translate the new entries, then run it again.
LANGUAGES := ru hy az
messages: install
	@bash scripts/system-deps.sh messages
	for app in src/ceasefire/*/apps.py; do mkdir -p "$$(dirname "$$app")/locale"; done
	cd src/ceasefire && CEASEFIRE_DATA_DIR=$(TEST_DATA) CEASEFIRE_LANGUAGE=en $(abspath $(BIN))/ceasefire manage \
		makemessages $(addprefix --locale=,$(LANGUAGES)) --no-obsolete --add-location=file
	cd src/ceasefire && CEASEFIRE_DATA_DIR=$(TEST_DATA) $(abspath $(BIN))/ceasefire manage compilemessages

# Benchmarks print their figures (see bench/README.md); PostgreSQL runs on a throwaway cluster.
# The reports and load benchmarks generate their items first (a million take tens of minutes);
# the load benchmark keeps its data dir under .bench/ and loads it only once.
REPORT_BENCH_ITEMS ?= 1000000
LOAD_BENCH_ITEMS ?= 1000000
bench: install
	$(BIN)/python bench/ledger.py --core --durable
	bash scripts/with-postgres.sh $(BIN)/python bench/ledger.py --durable
	$(BIN)/python bench/import.py
	bash scripts/with-postgres.sh $(BIN)/python bench/import.py
	$(BIN)/python bench/fieldsync.py
	bash scripts/with-postgres.sh $(BIN)/python bench/fieldsync.py
	$(BIN)/python bench/reports.py --items $(REPORT_BENCH_ITEMS)
	bash scripts/with-postgres.sh $(BIN)/python bench/reports.py --items $(REPORT_BENCH_ITEMS)
	$(BIN)/python bench/load.py --scale $(LOAD_BENCH_ITEMS) --data-dir .bench/load-$(LOAD_BENCH_ITEMS)
	$(BIN)/python bench/soak.py

# docs/screenshots/: the public dashboard (desktop and phone) and a daily report, taken by
# headless Chromium from a demo server.
screenshots: install system-deps-test
	$(BIN)/python scripts/screenshots.py

# Front-end libraries are vendored (the field has no internet, pages use no CDN). This refreshes
# them from the npm registry at the versions pinned in package.json.
vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
