# The two set-up commands are `make run` and `make test`; each creates or refreshes
# the virtual environment in .venv from pyproject.toml first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# A second environment with every direct dependency at its floor (constraints/floors.txt).
FLOORS_VENV := .venv-floors
FLOORS_STAMP := $(FLOORS_VENV)/.installed-stamp
FLOORS := constraints/floors.txt

.PHONY: run test test-floors lint bench venv services browser promtool clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[chat,dev]'
	@touch $(STAMP)

venv: $(STAMP)

$(FLOORS_STAMP): pyproject.toml $(FLOORS)
	@test -x $(FLOORS_VENV)/bin/python || $(PYTHON) -m venv $(FLOORS_VENV)
	$(FLOORS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOORS_VENV)/bin/python -m pip install --quiet -c $(FLOORS) -e '.[chat,dev]'
	@touch $(FLOORS_STAMP)

run: $(STAMP)
	$(BIN)/seedream run

test: $(STAMP) services browser promtool
	$(BIN)/pytest

# The unit and contract tests on the dependency floors: the lower bounds in pyproject.toml
# must hold every API the code calls.
test-floors: $(FLOORS_STAMP) services
	$(FLOORS_VENV)/bin/pytest -p no:cacheprovider tests/unit tests/contracts

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP) services
	$(BIN)/python benchmarks/run_all.py

services:
	@scripts/ensure-services

browser:
	@scripts/ensure-browser

promtool:
	@scripts/ensure-promtool

clean:
	rm -rf $(VENV) $(FLOORS_VENV) .pytest_cache .ruff_cache .mypy_cache
