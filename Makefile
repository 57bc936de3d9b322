# readingroom — set up, run the demo, run the tests. `make help` lists targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := demo-production
DEMO_INV := demo-investigation

.PHONY: help setup system-deps demo demo-data serve test test-all lint bench clean

help:
	@echo "make demo       set up, generate the fictional demo production, ingest, analyse, serve"
	@echo "make test       set up and run the test suite (what CI runs)"
	@echo "make demo-data  like demo, without starting the server"
	@echo "make bench      run the benchmarks under bench/"
	@echo "make lint       ruff and mypy (what CI runs too)"

setup: system-deps $(VENV)/.installed

system-deps:
	@bash scripts/install-system-deps

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

demo-data: setup
	rm -rf $(DEMO_INV)
	$(BIN)/readingroom demo $(DEMO_DIR)
	$(BIN)/readingroom init $(DEMO_INV)
	$(BIN)/readingroom ingest $(DEMO_DIR)/production --dir $(DEMO_INV) \
		--production DFE-2019-FOIA-00052 --received 2019-06-14 || [ $$? -eq 1 ]
	@# The later releases, the agency's letters and the request campaign (docs/requests.md,
	@# docs/evidence.md): so /requests, /coverage, /evidence and /timeline have data too.
	$(BIN)/readingroom ingest $(DEMO_DIR)/requests/letters --dir $(DEMO_INV) --production correspondence
	$(BIN)/readingroom ingest $(DEMO_DIR)/requests/supplemental-release --dir $(DEMO_INV) \
		--production supplemental-release
	$(BIN)/readingroom ingest $(DEMO_DIR)/evidence --dir $(DEMO_INV) --production DFE-2019-FOIA-00052-E1
	$(BIN)/readingroom ingest $(DEMO_DIR)/rerelease --dir $(DEMO_INV) --production DFE-2019-FOIA-00052-R1 \
		--received 2020-02-03
	$(BIN)/readingroom requests import $(DEMO_DIR)/requests/campaign.csv --dir $(DEMO_INV)
	$(BIN)/readingroom requests link DFE-2019-FOIA-00052 DFE-2019-FOIA-00052 --dir $(DEMO_INV)
	$(BIN)/readingroom coverage --expect "Operations plan — Operation Tin Compass" \
		--terms "operation tin compass operations plan" --campaign "Operations plans 2019" \
		--offices field --dir $(DEMO_INV) > /dev/null
	$(BIN)/readingroom coverage --confirm "Operations plan — Operation Tin Compass" --titles \
		--dir $(DEMO_INV)
	$(BIN)/readingroom status --dir $(DEMO_INV)
	-$(BIN)/readingroom search collateral --limit 5 --dir $(DEMO_INV)

demo: demo-data serve

serve: setup
	$(BIN)/readingroom serve $(DEMO_INV)

test: setup
	$(BIN)/python -m pytest -q

test-all: setup
	$(BIN)/python -m pytest -q --runslow

# mypy's files and strictness per package are in pyproject.toml ([tool.mypy]).
lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/pip install -q -e '.[test,bench]'
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(DEMO_DIR) $(DEMO_INV) test-artifacts
