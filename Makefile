# The README names these targets. Everything a target needs is installed here.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
TSTAMP  := $(VENV)/.installed-test
PYTEST_ARGS ?=
# The shared real datasets the tests and benchmarks read (see the README).
export INFLUENCE_DATASETS ?= $(abspath ../shared/datasets)

.PHONY: demo test test-fast test-slow bench bench-app neo4j-start neo4j-stop lint browser app clean

# setuptools warns on every editable install (UserWarning subclasses); they are not ours to fix
PIP     := PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(PIP) install -q --upgrade pip
	@$(PIP) install -q -e .
	@touch $@

$(TSTAMP): $(STAMP)
	@$(PIP) install -q -e '.[test]'
	@touch $@

## demo: install, load sample_data into the embedded store (first time), rank, start the app
demo: $(STAMP)
	$(BIN)/influence demo

app: $(STAMP)
	$(BIN)/influence app

## browser: Debian's Chromium for the end-to-end test (no browser download)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install chromium' (the browser test will skip)"; fi; }

## test: install test deps, Chromium and a local Neo4j, run the whole suite
test: $(TSTAMP) browser
	@set -e; eval "$$(scripts/neo4j-local start)"; \
	trap 'scripts/neo4j-local stop' EXIT; \
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

## test-slow: the heavier runs (full-size datasets)
test-slow: $(TSTAMP)
	$(BIN)/python -m pytest -m slow $(PYTEST_ARGS)

test-fast: $(TSTAMP)
	$(BIN)/python -m pytest -m "not slow and not neo4j and not browser" -x -q $(PYTEST_ARGS)

## bench: benchmarks print their figures next to a peer's
bench: $(STAMP)
	@set -e; eval "$$(scripts/neo4j-local start)"; trap 'scripts/neo4j-local stop' EXIT; \
	$(BIN)/python bench/load.py; $(BIN)/python bench/rank.py; $(BIN)/python bench/loaders.py

## bench-app: the app's speed in headless Chromium (first Explore render, slider steps), sample and ego-Twitter
bench-app: $(TSTAMP) browser
	$(BIN)/python bench/app_speed.py

neo4j-start:
	@scripts/neo4j-local start

neo4j-stop:
	@scripts/neo4j-local stop

## lint: ruff, the architecture contracts (import-linter) and mypy
lint: $(TSTAMP)
	$(BIN)/ruff check graph loaders tests bench scripts app.py app_pages
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .influence test-artifacts
