# Two commands do all set-up: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint fmt unit apptest browser bench bench-scale bench-store load load-cluster chromium postgresql nginx cluster cluster-stop cluster-test preflight evidence-report clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --editable .
	touch $@

$(STAMP_DEV): requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps --editable .
	touch $(STAMP_RUN) $@

## Start the app on the bundled data at http://localhost:$(PORT)
run: $(STAMP_RUN)
	$(BIN)/streamlit run app.py --server.port $(PORT)

## Lint, then unit, app and browser tests
test: $(STAMP_DEV) chromium postgresql nginx
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CHROMIUM="$$($(PYTHON) -m tools.browser)" $(BIN)/python -m pytest

unit: $(STAMP_DEV)
	$(BIN)/python -m pytest tests/unit

apptest: $(STAMP_DEV)
	$(BIN)/python -m pytest tests/app

browser: $(STAMP_DEV) chromium
	CHROMIUM="$$($(PYTHON) -m tools.browser)" $(BIN)/python -m pytest tests/browser

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## The benchmark on a synthetic UN-wide package (193 x 60 x 5)
bench-scale: $(STAMP_DEV) chromium
	CHROMIUM="$$($(PYTHON) -m tools.browser)" $(BIN)/python -m bench.run --scale

## Time the dataset store and the rooms: SQLite and memory against PostgreSQL
bench-store: $(STAMP_DEV) postgresql
	$(BIN)/python -m bench.store

## Coverage of the evidence now and before the 2022-2025 wave (figures for the closing note)
evidence-report: $(STAMP_RUN)
	$(BIN)/python scripts/evidence_report.py

## Replicas behind nginx on PostgreSQL, on loopback: make cluster REPLICAS=3 PORT=8080
## (writes var/cluster.json; see docs/deploy.md)
REPLICAS ?= 3
CLUSTER_PORT := $(if $(filter command line environment,$(origin PORT)),$(PORT),8080)
cluster: $(STAMP_RUN) postgresql nginx
	$(BIN)/python -m tools.cluster start --replicas $(REPLICAS) --port $(CLUSTER_PORT)

## End what `make cluster` started (by its pid files), PostgreSQL included
cluster-stop:
	$(PYTHON) -m tools.cluster stop

## The cluster tier alone: browser tests through nginx (they also run in `make test`)
cluster-test: $(STAMP_DEV) chromium postgresql nginx
	CHROMIUM="$$($(PYTHON) -m tools.browser)" $(BIN)/python -m pytest tests/cluster

## The cluster and its tests need Debian's nginx; install it when root and missing
nginx:
	@$(PYTHON) -m tools.nginx --install >/dev/null

## Check data, story and privacy settings before presenting
preflight: $(STAMP_RUN)
	$(BIN)/python -m core.serving.preflight

## Benchmark the app against the minimal baseline app (see README, Performance)
bench: $(STAMP_DEV) chromium
	CHROMIUM="$$($(PYTHON) -m tools.browser)" $(BIN)/python -m bench.run

## The app under load, with Locust (about 3 min; LOAD_PROFILE=long for 50 explorers, 100 devices)
load: $(STAMP_DEV)
	$(BIN)/python -m bench.load.run $(if $(LABEL),--label $(LABEL))

## The same against the replicas of var/cluster.json (start them with `make cluster`)
load-cluster: $(STAMP_DEV)
	$(BIN)/python -m bench.load.run --cluster --label $(or $(LABEL),latest-cluster)

## Browser tests drive a system Chromium; install Debian's when root and none is found
chromium:
	@$(PYTHON) -m tools.browser --install >/dev/null

## Tests of the PostgreSQL backend start a throwaway server; install Debian's when root and none is found
postgresql:
	@$(PYTHON) -m tools.pg --install >/dev/null

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
