# Ceasefire: `make demo` serves the demo scenario, `make test` runs every check.
# Both build the virtual environment and install the Debian packages they need when missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SOURCES := src tests bench
DEMO_DATA ?= $(CURDIR)/var/demo
TEST_DATA ?= $(CURDIR)/var/test

.PHONY: docs demo test lint typecheck pytest bench install system-deps-demo system-deps-test vendor clean

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

# Benchmarks print their figures (see bench/README.md); PostgreSQL runs on a throwaway cluster.
bench: install
	$(BIN)/python bench/ledger.py --core --durable
	bash scripts/with-postgres.sh $(BIN)/python bench/ledger.py --durable

# Front-end libraries are vendored (the field has no internet, pages use no CDN). This refreshes
# them from the npm registry at the versions pinned in package.json.
vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
