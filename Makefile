# make run   — set up .venv, build the warehouse from data/raw/, start the dashboard (127.0.0.1:8501)
# make test  — set up .venv (with dev extras) and run every test, browser test included
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
STAMP   := $(VENV)/.installed

.PHONY: run test setup build bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/python -m pipeline build

run: build
	$(BIN)/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_layouts.py
	$(BIN)/python bench/bench_app.py

clean:
	rm -rf $(VENV) data/curated/*.duckdb data/curated/parquet data/curated/csv data/curated/.cache data/curated/text data/curated/data_dictionary.*
