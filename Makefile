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

$(STAMP_RUN): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(STAMP_DEV): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP_RUN) $@

## Start the app on the bundled data at http://localhost:$(PORT)
run: $(STAMP_RUN)
	$(BIN)/streamlit run app.py --server.port $(PORT)

## Lint, then unit, app and browser tests
test: $(STAMP_DEV) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CHROMIUM="$$(./scripts/find-chromium)" $(BIN)/python -m pytest

unit: $(STAMP_DEV)
	$(BIN)/python -m pytest tests/unit

apptest: $(STAMP_DEV)
	$(BIN)/python -m pytest tests/app

browser: $(STAMP_DEV) chromium
	CHROMIUM="$$(./scripts/find-chromium)" $(BIN)/python -m pytest tests/browser

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## The benchmark on a synthetic UN-wide package (193 x 60 x 5)
bench-scale: $(STAMP_DEV) chromium
	CHROMIUM="$$(./scripts/find-chromium)" $(BIN)/python bench/run.py --scale

## Coverage of the evidence now and before the 2022-2025 wave (figures for the closing note)
evidence-report: $(STAMP_RUN)
	$(BIN)/python scripts/evidence_report.py

## Check data, story and privacy settings before presenting
preflight: $(STAMP_RUN)
	$(BIN)/python -m core.preflight

## Benchmark the app against the minimal baseline app (see bench/README.md)
bench: $(STAMP_DEV) chromium
	CHROMIUM="$$(./scripts/find-chromium)" $(BIN)/python bench/run.py

## Browser tests drive a system Chromium; install Debian's when root and none is found
chromium:
	@./scripts/find-chromium --install >/dev/null

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
