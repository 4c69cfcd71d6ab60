# Two commands that work on a fresh machine: `make run` and `make test`.
# `make test-fast`: everything but the browser, PostgreSQL, bundle and slow tests (under two minutes).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
# An explicit address also keeps Streamlit from looking up its external IP (an outside request).
ADDRESS ?= 127.0.0.1

.PHONY: run test test-fast venv seed docs clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

seed: venv
	$(BIN)/python -m ksmart seed --if-empty

run: seed
	$(BIN)/streamlit run server.py --server.address $(ADDRESS) --server.port $(PORT) --browser.gatherUsageStats false

test: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

# docs/reference.md from ksmart's own tables (tests/test_docs_links.py fails when it is stale)
docs: venv
	$(BIN)/python scripts/make_docs.py

FAST := not browser and not postgres and not bundle and not slow

# KSMART_TEST_FAST=1: each Hypothesis property tries a quarter of its examples (tests/examples.py);
# -n 2: two pytest-xdist workers, one per core (1 min 41 s here against 2 min 57 s in one process).
test-fast: venv
	KSMART_TEST_FAST=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests -m "$(FAST)"

clean:
	rm -rf $(VENV) data/ksmart.db data/ksmart.db-wal data/ksmart.db-shm
