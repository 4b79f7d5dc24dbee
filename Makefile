# Everything installs into .venv; torch is pinned to the CPU build (an unpinned torch pulls CUDA).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: chat test install install-test index

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

chat: install
	$(PY) app.py

index: install
	$(VENV)/bin/qa index

test: install
	$(PY) -m pytest
