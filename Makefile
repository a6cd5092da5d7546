# Inductive Bias — the two commands are `make serve` and `make test`; both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
# Material prints an end-of-life banner about MkDocs 2; we pin MkDocs 1.6.
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup serve build test lint format bench figures check clean lock chromium

help:
	@echo "make serve   set up, build the figures and serve the site on http://127.0.0.1:8000"
	@echo "make test    set up and run the whole suite (lint, unit tests, strict build, browser)"
	@echo "make build   strict build into site/"
	@echo "make bench   benchmarks, printed as ratios"
	@echo "make figures render every figure into .cache/figures without building the site"
	@echo "make check   validate the reading list and the pages (kb check)"
	@echo "make clean   remove site/ and .cache/ (keeps .venv and node_modules)"

# --- setup (idempotent: each step reruns only when its inputs changed) ---------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

# Chromium drives the browser tests; it comes from Debian (Playwright cannot download one here).
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Chromium from Debian (apt-get install chromium)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (or set CHROMIUM=/path/to/chromium)"; \
	    exit 1; \
	  fi; \
	fi

# --- the two commands ----------------------------------------------------------------------

# --dirty: after the first full build, an edit re-renders only the pages it touched (about a
# second instead of a full rebuild); warnings are printed, and `make build`/`make test` stay strict.
serve: setup
	$(BIN)/python -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty --no-strict

test: setup chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

# --- the rest ------------------------------------------------------------------------------

build: setup
	$(BIN)/python -m mkdocs build --strict

figures: setup
	$(BIN)/python -m kb.cli figures

check: setup
	$(BIN)/python -m kb.cli check

bench: setup
	$(BIN)/python bench/build.py
	$(BIN)/python bench/attention.py
	$(BIN)/python bench/sequence.py
	$(BIN)/python bench/optim.py --compile

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: setup
	@{ echo "# Pinned Python dependencies of the project (pip freeze of a working .venv)."; \
	   echo "# Regenerate: make lock. torch is the CPU build: pip takes it from the local wheel cache."; \
	   $(BIN)/pip freeze --exclude-editable | sed 's/^torch==\(.*\)+cpu$$/torch==\1/'; \
	   echo "setuptools==$$($(BIN)/python -c 'import setuptools; print(setuptools.__version__)')"; \
	 } > requirements.lock

clean:
	rm -rf site .cache
