# Fresh machine: Python 3.11 + pip is all that is assumed. Every target installs what it needs.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format docs benchmark clean browser screenshots pdf

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 mangler ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## demo: run the whole pipeline that exists on the embedded example data
demo: $(STAMP) pdf
	$(BIN)/python -m tvaers.demo

## browser: Debian's Chromium for the browser tests, installed with apt-get when run as root
## (never a browser download of its own; elsewhere the browser tests say what is missing)
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

## screenshots: the main pages at laptop and phone width into docs/images (docs/dashboards.md),
## from a fresh demo that is not served
screenshots: $(STAMP) browser pdf
	TVAERS_DEMO_SERVE=0 $(BIN)/python -m tvaers.demo
	$(BIN)/python scripts/screenshots.py

## pdf: Pango and HarfBuzz for WeasyPrint (the data packs' PDF, `tvaers report`), installed
## with apt-get when run as root; elsewhere WeasyPrint says which library is missing
pdf:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; \
	fi

## test: lint, docs drift check and the whole test suite
test: $(STAMP) browser pdf
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

## docs: regenerate the generated docs pages (data contract, CLI reference)
docs: $(STAMP)
	$(BIN)/python -m tvaers.docs_gen

benchmark: $(STAMP)
	$(BIN)/python benchmarks/ingest_benchmark.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache demo-output
