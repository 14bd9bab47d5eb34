# The README's two commands: `make build` and `make test`. Both set up .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
# Debian's Chromium, driven by Playwright in tests/browser (no browser downloads).
CHROMIUM := /usr/bin/chromium

.PHONY: build test test-fast test-browser bench serve clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

build: $(STAMP)
	$(BIN)/policykit build

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser"

test-browser: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q -m browser

# The benchmarks also need Pagefind (the `bench` extra); Chromium measures the search payload.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) $(CHROMIUM)
	$(BIN)/python bench/run.py

serve: $(STAMP)
	$(BIN)/policykit serve

clean:
	rm -rf site .build-tmp-* .cache/policykit
