# newskg: the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KG_HOST ?= 127.0.0.1
KG_PORT ?= 8000

.PHONY: install run test lint typecheck unit eval eval-dev bench clean web browser virtuoso

install: $(STAMP) web

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The web page's front-end packages (web/package.json, exact versions in web/package-lock.json).
WEB_STAMP := web/node_modules/.package-lock.json

web: $(WEB_STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $(WEB_STAMP)

# Headless chromium + chromedriver from Debian for tests/e2e/test_web.py (needs root or sudo).
# sudo -n never waits for a password on stdin; if the install fails, the web tests skip (a
# failure under CI=true, here and in the tests).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)

browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		echo "browser: /usr/bin/chromium and /usr/bin/chromedriver are installed"; \
	else \
		echo "browser: installing Debian chromium and chromium-driver for the web page tests"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver \
		|| { echo "browser: could not install chromium (needs root or sudo)"; [ "$$CI" != true ]; }; \
	fi

# Virtuoso Open Source from Debian for tests/e2e/test_store_virtuoso.py (the remote-store tests
# start `virtuoso-t` on 127.0.0.1 over a temporary folder; the package's own service is not
# used). Same rules as `browser`: never prompts; without it those tests skip, except under CI=true.
virtuoso:
	@if [ -x /usr/bin/virtuoso-t ] && [ -x /usr/bin/isql-vt ]; then \
		echo "virtuoso: /usr/bin/virtuoso-t and /usr/bin/isql-vt are installed"; \
	else \
		echo "virtuoso: installing Debian virtuoso-opensource for the remote-store tests"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource \
		|| { echo "virtuoso: could not install virtuoso-opensource (needs root or sudo)"; [ "$$CI" != true ]; }; \
	fi

run: install
	$(BIN)/kg build data/articles
	$(BIN)/kg serve --host $(KG_HOST) --port $(KG_PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

test: install lint typecheck browser virtuoso
	node --test web/test/
	$(BIN)/python -m pytest

unit: install
	$(BIN)/python -m pytest -m "not slow and not e2e"

eval: install
	$(BIN)/python -m kg.evaluation $(EVAL_ARGS)

# The development corpus (data/dev/README.md): scores the dev split's rebuilt texts and says
# which are missing; EVAL_ARGS="--split heldout" scores the kept-aside third.
eval-dev: install
	$(BIN)/python -m kg.devcorpus eval $(EVAL_ARGS)

# bench/run.py: ingest, graph load and query benchmarks, then the targets table.
# BENCH_ARGS=--quick for a smoke run; see `bench/run.py --help`.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: install $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf data/store .pytest_cache .mypy_cache .ruff_cache
