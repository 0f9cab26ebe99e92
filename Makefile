# Two commands for a fresh machine with Python 3.11+ and make:
#   make run    set up .venv and show the dashboard of the embedded schedule
#   make test   set up .venv, lint, type-check and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test lint bench golden clean

$(BIN)/poacal: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/poacal
	$(BIN)/poacal

lint: $(BIN)/poacal
	$(BIN)/ruff check poacal tests bench
	$(BIN)/ruff format --check poacal tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

# Regenerate the golden files after an intended output change; review the diff.
golden: $(BIN)/poacal
	$(BIN)/python -m pytest -q --update-golden tests

bench: $(BIN)/poacal
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
