# The README's two commands: `make build` and `make test`. Both set up .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
# Debian's Chromium, driven by Playwright in tests/browser (no browser downloads).
CHROMIUM := /usr/bin/chromium

.PHONY: build test test-fast test-browser bench serve clean setup chromium

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# As root, Chromium is installed when missing; otherwise one line says how, and the browser tests fail (never
# skipped) while the rest of the suite runs.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Chromium is missing, so the browser tests will fail: install it with 'sudo apt-get install chromium'"; \
	  fi; \
	fi

# The published site tells today's legal status (现行有效, 已失效…); `policykit build` alone computes it as of the
# newest document, so that the same sources always give the same bytes (docs/data.md, 效力状态).
build: $(STAMP)
	$(BIN)/policykit build --as-of today

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

test-browser: $(STAMP) chromium
	$(BIN)/python -m pytest -q -m browser

# The benchmarks also need Pagefind (the `bench` extra); Chromium measures the search payload.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) chromium
	$(BIN)/python bench/run.py

serve: $(STAMP)
	$(BIN)/policykit serve

clean:
	rm -rf site .build-tmp-* .cache/policykit
