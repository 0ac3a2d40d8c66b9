# The two set-up commands of the README: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := build
WORKERS ?= 1

.PHONY: report test lint venv clean docs bench bench-web layout

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## report: install, load the embedded WIPO 2024/25 dataset and build the performance report
report: $(STAMP)
	scripts/system-deps report
	$(BIN)/rbm load wipo-2024-25 --replace
	mkdir -p $(OUT)
	COLUMNS=120 $(BIN)/rbm summary > $(OUT)/summary.txt
	COLUMNS=160 $(BIN)/rbm reconcile --show differences > $(OUT)/reconcile.txt
	$(BIN)/rbm report --out $(OUT)/report
	@echo "Report: $(CURDIR)/$(OUT)/report (zh/index.html, en/index.html, report-zh.pdf, report-en.pdf, report-zh.xlsx, report-en.xlsx, tables.json)"
	@echo "Also: $(CURDIR)/$(OUT)/summary.txt, $(CURDIR)/$(OUT)/reconcile.txt; database: $(CURDIR)/rbm.db"

## lint: ruff, ruff format --check, mypy --strict on src/
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

## test: install what the tests need and run the whole suite (quality gates included)
test: $(STAMP)
	scripts/system-deps test
	$(MAKE) lint
	$(BIN)/pytest

## bench: the scale benchmark (docs/performance.md): WIPO ×1, ×10, ×100 and ledgers of 1M and
## 10M postings, each step beside its baseline (DuckDB, bare COPY, plain sqlite3); installs
## DuckDB and wrk. Takes about half an hour; `make bench BENCH="--quick"` for a smoke run.
BENCH ?=
bench: $(STAMP)
	scripts/system-deps bench
	$(BIN)/pip install --quiet -e '.[bench]'
	mkdir -p $(OUT)
	$(BIN)/python -m bench.run $(BENCH) --json $(OUT)/bench.json --plot $(OUT)/bench.png

## bench-web: the web application under load: 50 connections on the overview and a sector
## dashboard, p50/p95/p99 and requests/s (installs wrk; see docs/performance.md)
bench-web: $(STAMP)
	scripts/system-deps bench
	mkdir -p $(OUT)
	$(BIN)/python -m bench.web --workers $(WORKERS) --json $(OUT)/bench-web.json

## layout: the layout check of the PDFs (WIPO in zh and en, the second example in its
## languages): pages, pages under 25 % filled, text outside, narrow cells, tall charts
## (docs/report.md, "Layout check"); the PDFs are rebuilt when a source changed
LAYOUT := $(OUT)/layout
LAYOUT_SOURCES := $(shell find src/rbm examples/northwind-2026-28 -type f -not -path '*/__pycache__/*')

$(LAYOUT)/wipo/.built: $(STAMP) $(LAYOUT_SOURCES)
	mkdir -p $(@D)
	$(BIN)/rbm --db sqlite:///$(LAYOUT)/wipo.db load wipo-2024-25 --replace
	$(BIN)/rbm --db sqlite:///$(LAYOUT)/wipo.db report --lang zh,en --format pdf --out $(@D)
	touch $@

$(LAYOUT)/northwind/.built: $(STAMP) $(LAYOUT_SOURCES)
	mkdir -p $(@D)
	$(BIN)/rbm --db sqlite:///$(LAYOUT)/northwind.db load examples/northwind-2026-28 --replace
	$(BIN)/rbm --db sqlite:///$(LAYOUT)/northwind.db report --biennium 2026-28 --format pdf --out $(@D)
	touch $@

layout: $(STAMP)
	scripts/system-deps report
	$(MAKE) $(LAYOUT)/wipo/.built $(LAYOUT)/northwind/.built
	$(BIN)/python -m rbm.report.render.layout $(LAYOUT)/wipo/report-*.pdf $(LAYOUT)/northwind/report-*.pdf

clean:
	rm -rf $(VENV) $(OUT) rbm.db .pytest_cache .mypy_cache .ruff_cache

## docs: regenerate the generated parts of the documentation
docs: $(STAMP)
	$(BIN)/python -m rbm.docs
