# govreport — developer entry points.
#
#   make demo    parse data/raw (or $GOVREPORT_DATA) -> data/processed, execute the notebooks ->
#                figures/ and docs/notebooks/ (executed copies with outputs)
#   make test    unit tests + notebooks (nbmake)
#
# Both install everything they need into ./.venv on first use (and again only
# when pyproject.toml changes).  Override the interpreter with
#   make PYTHON=python3.12 demo

PYTHON ?= python3
VENV   ?= .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

PIP_FLAGS   ?=
PYTEST_ARGS ?= -n 2

# Headless, quiet, reproducible defaults for everything run from here.
export MPLBACKEND ?= Agg
export JUPYTER_PLATFORM_DIRS ?= 1
export PYTHONHASHSEED ?= 0
export PIP_DISABLE_PIP_VERSION_CHECK ?= 1

NOTEBOOKS  := $(wildcard notebooks/*.ipynb)
BENCHMARKS := $(wildcard benchmarks/bench_*.py)

.PHONY: all venv demo test lint lab bench clean distclean help

all: test

help:
	@echo "make venv       create/refresh .venv (pip install -e '.[dev]')"
	@echo "make demo       parse data/raw (or GOVREPORT_DATA=folder) -> data/processed, run notebooks -> figures/, docs/notebooks/"
	@echo "make test       ruff lint, then pytest tests/ (+ nbmake notebooks/*.ipynb)"
	@echo "make lint       ruff check only"
	@echo "make lab        JupyterLab on notebooks/ with the project venv"
	@echo "make bench      run every benchmarks/bench_*.py"
	@echo "make clean      remove build/test/cache artefacts and data/processed"
	@echo "make distclean  clean + remove .venv"

venv: $(STAMP)

# The venv itself: created once, only if missing.
$(VPY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "govreport needs Python >= 3.10, $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# The install: redone only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(VPY) -m pip install $(PIP_FLAGS) -e '.[dev]'
	@touch $@

demo: $(STAMP)
	$(VPY) scripts/demo.py

lint: $(STAMP)
	$(VENV)/bin/ruff check govreport tests scripts benchmarks

test: $(STAMP) lint
	$(VPY) -m pytest -q $(PYTEST_ARGS) tests $(if $(NOTEBOOKS),--nbmake notebooks)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks

bench: $(STAMP)
	@set -e; for f in $(BENCHMARKS); do \
		echo "== $$f"; \
		$(VPY) $$f; \
	done; \
	if [ -z "$(BENCHMARKS)" ]; then echo "no benchmarks/bench_*.py found"; fi

clean:
	rm -rf build dist .pytest_cache .govreport_cache data/processed
	find . -path ./$(VENV) -prune -o -name '*.egg-info' -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '__pycache__' -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '.ipynb_checkpoints' -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
