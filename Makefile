# Two commands do everything: `make reports` and `make test`. Both bootstrap .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := ukcyber
JOBS ?=
ARGS ?=
# lib/ line coverage measured by `make test` (in-process; kernels' own runs are not counted).
# Raise it when coverage grows; never lower it.
COVERAGE_MIN := 93

.PHONY: venv voila-template explorer reports test test-fast lint browser-deps lab lock bench clean outputs docs

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml $(wildcard lib/ukcyber/templates/voila/ukcyber/*)
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (ukcyber)" >/dev/null
	$(MAKE) --no-print-directory voila-template
	touch $(STAMP)

# The explorer's voila template (offline: no CDN) and config, installed into the venv like the
# kernel, so that `.venv/bin/voila notebooks/explore.ipynb` uses them.
VOILA_TEMPLATES := $(VENV)/share/jupyter/voila/templates
voila-template:
	rm -rf $(VOILA_TEMPLATES)/ukcyber && mkdir -p $(VOILA_TEMPLATES) $(VENV)/etc/jupyter
	cp -r lib/ukcyber/templates/voila/ukcyber $(VOILA_TEMPLATES)/ukcyber
	printf '{"VoilaConfiguration": {"template": "ukcyber"}}\n' > $(VENV)/etc/jupyter/voila.json

reports: $(STAMP) browser-deps
	$(BIN)/ukcyber build $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

# ruff (lint + format) on code and notebooks, the layer contract (pyproject.toml), mypy on lib/.
lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks notebooks
	$(BIN)/ruff format --check lib tests benchmarks notebooks
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

# Everything: lint; unit, build and browser tests with the coverage gate on lib/; then nbval
# over the notebooks (a run of its own: nbval's in-kernel coverage hook hangs the kernel).
test: $(STAMP) browser-deps lint
	$(BIN)/python -m pytest tests --durations 15 --cov --cov-report=term --cov-fail-under=$(COVERAGE_MIN)
	$(BIN)/python -m pytest notebooks --nbval --nbval-kernel-name=$(KERNEL) --durations 5

# The edit loop: unit tests only (no Jupyter kernel, no browser), in well under a minute.
test-fast: $(STAMP)
	UKCYBER_FAST_LANE=1 $(BIN)/python -m pytest tests -m "not kernel and not browser and not docs" --durations 15

browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	    echo "warning: chromium could not be installed; browser tests will be skipped (they fail under CI=true)"; }

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

explorer: $(STAMP)
	$(BIN)/voila notebooks/explore.ipynb

# The documentation site, offline, warnings as errors: docs/_build/html/index.html.
docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html
	@echo "docs: docs/_build/html/index.html"

bench: $(STAMP) browser-deps
	$(BIN)/python benchmarks/build.py

# Re-pin requirements.lock from pyproject.toml in a fresh venv: current pins are kept where they
# still fit (-c), new dependencies are resolved, dropped ones disappear. `make lock UPGRADE=1`
# re-resolves everything to the newest versions.
LOCKVENV := .cache/lock-venv
lock:
	rm -rf $(LOCKVENV) && $(PYTHON) -m venv $(LOCKVENV)
	$(LOCKVENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCKVENV)/bin/python -m pip install --quiet $(if $(UPGRADE),,-c requirements.lock) setuptools -e ".[test,docs]"
	$(LOCKVENV)/bin/python -m pip freeze --all --exclude-editable | grep -v -E '^(ukcyber|pip)==' \
	  | sed '1i # Exact versions for .venv (make venv installs from this file). Regenerate with: make lock' > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf $(LOCKVENV)

clean:
	rm -rf reports/*/ reports/*.html reports/*.json .cache docs/_build docs/reference/generated

# Re-execute every notebook in place so its stored outputs (what nbval compares) match the data;
# `make outputs NB=sector_overview` (or NB="a b") refreshes only those notebooks.
NB ?=
outputs: $(STAMP)
	@for name in $(NB); do test -f notebooks/$$name.ipynb || \
	  { echo "error: notebooks/$$name.ipynb not found (NB takes notebook names without .ipynb)"; exit 2; }; done
	for nb in $(if $(NB),$(foreach n,$(NB),notebooks/$(n).ipynb),notebooks/*.ipynb); do \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.kernel_name=$(KERNEL) --ExecutePreprocessor.store_widget_state=False "$$nb" || exit 1; done
