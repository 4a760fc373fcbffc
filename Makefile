# Accord: two commands do all set-up on a fresh machine.
#   make run   - install, migrate, load reference data, serve on http://127.0.0.1:8000
#   make test  - install what the tests need (Debian's chromium too) and run the suite
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test install install-test assets chromium pdf-libs pdf-test-libs lock setup clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(BIN)/pip install -q -r requirements-test.lock
	touch $@

install: $(STAMP) assets pdf-libs
install-test: $(TEST_STAMP) assets chromium pdf-test-libs

# GOV.UK Frontend (MIT), pinned in package-lock.json, installed by npm
assets: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's Pango and fonts for WeasyPrint (the SAFE report as PDF; it never fetches a font), and
# pdftotext (poppler-utils) for the tests that read the PDF: installed when missing
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core
define install_debs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	[ -z "$$missing" ] || { echo "Installing Debian's" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }
endef
pdf-libs:
	$(call install_debs,$(PDF_DEBS))
pdf-test-libs:
	$(call install_debs,$(PDF_DEBS) poppler-utils)

setup: install
	$(BIN)/accord setup

run: setup
	$(BIN)/accord serve

test: install-test
	$(BIN)/pytest

bench: install-test
	$(BIN)/python benchmarks/safe_bom.py
	$(BIN)/python benchmarks/mobility.py
	$(BIN)/python benchmarks/dialogue_bench.py
	$(BIN)/python benchmarks/commitments_status.py
	$(BIN)/python benchmarks/missions_forcegen.py

# Re-pin every dependency after editing pyproject.toml
lock: $(BIN)/python
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-emit-find-links --no-emit-index-url -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-find-links --no-emit-index-url --extra test -c requirements.lock -o requirements-test.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules var
