# newskg: the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KG_HOST ?= 127.0.0.1
KG_PORT ?= 8000

.PHONY: install run test lint typecheck unit eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/kg build data/articles
	$(BIN)/kg serve --host $(KG_HOST) --port $(KG_PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/python -m pytest

unit: install
	$(BIN)/python -m pytest -m "not slow and not e2e"

eval: install
	$(BIN)/python -m kg.evaluation $(EVAL_ARGS)

bench: install
	$(BIN)/python bench/ingest.py $(BENCH_ARGS)

clean:
	rm -rf data/store .pytest_cache .mypy_cache .ruff_cache
