# Two commands do all set-up: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint fmt unit apptest browser bench bench-scale chromium preflight evidence-report clean

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
test: $(STAMP_DEV) chromium
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

## Coverage of the evidence now and before the 2022-2025 wave (figures for the closing note)
evidence-report: $(STAMP_RUN)
	$(BIN)/python scripts/evidence_report.py

## Check data, story and privacy settings before presenting
preflight: $(STAMP_RUN)
	$(BIN)/python -m core.serving.preflight

## Benchmark the app against the minimal baseline app (see README, Performance)
bench: $(STAMP_DEV) chromium
	CHROMIUM="$$($(PYTHON) -m tools.browser)" $(BIN)/python -m bench.run

## Browser tests drive a system Chromium; install Debian's when root and none is found
chromium:
	@$(PYTHON) -m tools.browser --install >/dev/null

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
