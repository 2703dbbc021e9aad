# kube-annex: the two commands a fresh machine needs are `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve dev example test lint unit integration controlplane clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## serve: the main job — a local annex API for kubectl, no cluster needed
serve: $(STAMP)
	$(BIN)/annex serve examples

## dev: a real local control plane with the operator and the gateway
dev: $(STAMP)
	$(BIN)/annex dev

## example: the golden-image service (controller, scheduler, 2 workers) against `make dev`
example: $(STAMP)
	$(BIN)/python examples/images/run.py

## test: lint, type checks, layer contracts, then every test (unit, integration, e2e)
test: lint
	$(BIN)/pytest -ra

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest -ra tests/unit

integration: $(STAMP)
	$(BIN)/pytest -ra tests/integration tests/e2e

## controlplane: build (once) and cache kube-apiserver and etcd
controlplane: $(STAMP)
	$(BIN)/python -m annex_controlplane build

clean:
	rm -rf $(VENV) .annex .mypy_cache .ruff_cache .pytest_cache
