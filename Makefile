# Two commands on a fresh clone: `make site` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check lint bench screenshots clean

$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

site: $(STAMP)  ## build the demonstration archive into site/
	$(BIN)/mkdocs build --strict

serve: $(STAMP)  ## live preview; reloads when an article, vocabulary or template changes
	$(BIN)/mkdocs serve

test: $(STAMP)  ## the whole test suite; the browser tests' chromium and axe-core are fetched first
	$(BIN)/python scripts/browser_deps.py $(VENV)
	$(BIN)/pytest

check: $(STAMP)  ## validate the archive without building
	$(BIN)/conflict-archive check

bench: $(STAMP)  ## plugin vs plain MkDocs at 2,500 and 10,000 synthetic articles; writes docs/benchmarks.md
	$(BIN)/python scripts/bench.py --sizes 2500,10000 --compare-blog 1000 --serve 2500 --repeat 5 --output docs/benchmarks.json --docs docs/benchmarks.md

screenshots: $(STAMP)  ## the README's screenshots (docs/screenshots/), light and dark, in Debian's chromium
	$(BIN)/python scripts/browser_deps.py $(VENV)
	$(BIN)/python scripts/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check plugins tests scripts
	$(BIN)/ruff format --check plugins tests scripts
	$(BIN)/mypy

clean:
	rm -rf site .venv .pytest_cache .mypy_cache .ruff_cache
