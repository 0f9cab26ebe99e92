# Two commands for a fresh machine with Python 3.11+ and make:
#   make run    set up .venv and show the dashboard of the embedded schedule
#   make test   set up .venv, lint, type-check and run the whole test suite: on the
#               pinned Typer, then again on the newest Typer (import-weight tests aside),
#               with the feed page checked in headless Chromium
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
NEWEST  = .venv-newest
AXE     = .cache/npm/node_modules/axe-core/axe.min.js
ICALJS  = .cache/npm/node_modules/ical.js/dist/ical.es5.cjs

.PHONY: run test lint bench golden generate mutate clean browser-deps test-newest

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

# The browser test needs Chromium (Debian's package) and axe-core (npm), the time-zone
# test ical.js (npm: Thunderbird's parser), the completion tests zsh and fish. They are installed when the machine allows it (root
# with apt-get; npm); otherwise those tests are skipped and say why.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "note: chromium could not be installed; the browser test will be skipped"
	@command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zsh fish >/dev/null 2>&1 || \
	      { apt-get update -qq >/dev/null && \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zsh fish >/dev/null; }; }; } || \
	  echo "note: zsh and fish could not be installed; their completion tests will be skipped"
	@[ -f $(AXE) ] && [ -f $(ICALJS) ] || { command -v npm >/dev/null 2>&1 && \
	    npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@4 ical.js@2 >/dev/null; } || \
	  echo "note: axe-core and ical.js could not be installed; the browser and ical.js tests will be skipped"

test: lint browser-deps
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory test-newest

# The same suite on the newest Typer, which poacal's pin keeps out of .venv (see the
# README, "Typer"); only the import-weight tests may differ there.
$(NEWEST)/bin/python: pyproject.toml
	$(PYTHON) -m venv $(NEWEST)
	$(NEWEST)/bin/python -m pip install --quiet --upgrade pip
	$(NEWEST)/bin/python -m pip install --quiet -e '.[dev]'
	$(NEWEST)/bin/python -m pip install --quiet --upgrade typer 2>&1 | grep -v "requires typer\|dependency resolver\|^ERROR: pip's" || true
	touch $@

test-newest: $(NEWEST)/bin/python
	@$(NEWEST)/bin/python -c "import importlib.metadata as m; print('newest Typer:', m.version('typer'))"
	$(NEWEST)/bin/python -m pytest -q -m "not import_weight" -p no:cacheprovider

# Remake what is made from the declared schedule format (vocabulary.py): the key tables of
# docs/data-format.md and poacal/schemas/schedule.json. A test fails until this is run.
generate: $(BIN)/poacal
	$(BIN)/python -m poacal.formatdoc

# Mutation testing (mutmut) of the modules listed under [tool.mutmut] in pyproject.toml,
# then the kill rate per module. Slow: 10 to 20 mutants a minute on two cores, so the whole
# list takes hours (stats alone about 10 minutes); ONLY="poacal.text.* poacal.windows.*" picks functions by name.
# A mutant's run takes the fastest tests first and leaves out those marked slow (see
# tests/conftest.py), so a kill rate can read low, never high.
# Survivors that are left are explained in tests/SURVIVORS.md. Not part of `make test`.
# For a module the whole suite reaches (the loader's checks), `python tests/mutation_recheck.py
# --unchecked -j 2 poacal.check TESTS...` runs the mutants mutmut has not reached on the
# loader's tests only (see that script); the report counts its verdicts.
mutate: $(BIN)/poacal
	$(BIN)/mutmut run --max-children 2 $(ONLY) || true
	$(BIN)/python tests/mutation_report.py

# Regenerate the golden files after an intended output change; review the diff.
golden: $(BIN)/poacal
	$(BIN)/python -m pytest -q --update-golden tests

bench: $(BIN)/poacal
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) $(NEWEST) .cache test-artifacts build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
