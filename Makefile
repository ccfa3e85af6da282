# Two commands on a fresh clone: `make site` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe-core-$(AXE_VERSION)/axe.min.js
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check lint bench clean

$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

site: $(STAMP)  ## build the demonstration archive into site/
	$(BIN)/mkdocs build --strict

serve: $(STAMP)  ## live preview; reloads when an article, vocabulary or template changes
	$(BIN)/mkdocs serve

# axe-core, the accessibility engine the browser tests inject into pages, from the npm registry.
$(AXE):
	rm -rf $(VENV)/axe-core-$(AXE_VERSION) && mkdir -p $(VENV)/axe-core-$(AXE_VERSION)
	cd $(VENV) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null
	tar -xzf $(VENV)/axe-core-$(AXE_VERSION).tgz -C $(VENV)/axe-core-$(AXE_VERSION) --strip-components=1 package/axe.min.js
	rm $(VENV)/axe-core-$(AXE_VERSION).tgz

test: $(STAMP) $(AXE)  ## the whole test suite (browser tests drive Debian's chromium)
	AXE_CORE=$(AXE) $(BIN)/pytest

check: $(STAMP)  ## validate the archive without building
	$(BIN)/conflict-archive check

bench: $(STAMP)  ## plugin vs plain MkDocs at 2,500 and 10,000 synthetic articles; writes docs/benchmarks.md
	$(BIN)/python scripts/bench.py --sizes 2500,10000 --compare-blog 1000 --serve 2500 --repeat 5 --output docs/benchmarks.json --docs docs/benchmarks.md

lint: $(STAMP)
	$(BIN)/ruff check plugins tests scripts
	$(BIN)/ruff format --check plugins tests scripts
	$(BIN)/mypy

clean:
	rm -rf site .venv .pytest_cache .mypy_cache .ruff_cache
