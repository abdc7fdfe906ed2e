# The two commands a new machine needs: `make site` and `make test`. Both set up what they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint bench clean models

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## Convert the real models of the catalog to OpenVINO IR (once; later runs skip current IRs)
models: $(STAMP)
	$(BIN)/python -m generator.model_sources

## Build the catalog website into site/
site: $(STAMP) models
	$(BIN)/mkdocs build --strict

## Serve the site on http://127.0.0.1:8000 with live reload
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## Lint and run the whole test suite
test: $(STAMP) models
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/pytest -n 2

bench: $(STAMP) models
	$(BIN)/python bench/build_scale.py
	$(BIN)/python bench/validation.py

clean:
	rm -rf site $(VENV)
