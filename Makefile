# The two set-up commands of the README: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := build

.PHONY: report test lint venv clean docs

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

clean:
	rm -rf $(VENV) $(OUT) rbm.db .pytest_cache .mypy_cache .ruff_cache

## docs: regenerate the generated parts of the documentation
docs: $(STAMP)
	$(BIN)/python -m rbm.docs
