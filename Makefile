# The two commands a new machine needs: `make site` and `make test`. Both set up what they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint bench clean models browser vendor

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Maintainers only: the browser libraries (tablesort, uPlot) come from npm, pinned in
# package-lock.json, and are committed in generator/static/ with their manifest; the test-only
# axe-core (a devDependency) is copied into tests/vendor/. After changing package.json or a file
# of generator/static/, run `make vendor`.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

vendor: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m generator.site.vendor

# Chromium for the browser tests and Node for the catalog's JS tests (Debian's packages; we run as root)
browser:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	command -v node >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs)

## Convert the real models of the catalog to OpenVINO IR (once; later runs skip current IRs)
models: $(STAMP)
	$(BIN)/python -m generator.demo.model_sources

## Build the catalog website into site/
site: $(STAMP) models
	$(BIN)/mkdocs build --strict

## Serve the site on http://127.0.0.1:8000 with live reload
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## Lint and run the whole test suite
test: $(STAMP) browser models
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/pytest -n 2

## Every benchmark; bench/targets.py prints each speed target with its measured ratio
bench: $(STAMP) browser models
	$(BIN)/python bench/targets.py
	$(BIN)/python bench/validation.py
	$(BIN)/python bench/omz_import.py
	# with a model_analyzer source copy: make bench MODEL_ANALYZER=/path/to/model_analyzer
	$(if $(MODEL_ANALYZER),$(BIN)/python bench/model_analyzer_compare.py --model-analyzer $(MODEL_ANALYZER))

clean:
	rm -rf site $(VENV) node_modules
