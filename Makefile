# Thin wrappers: every target bootstraps .venv on first use; logic lives in generator/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
GENERATED := $(wildcard generated/*/tests)

.PHONY: generate test check lint bench corpus clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/oagen generate

test: $(STAMP)
	$(BIN)/pytest -q
	for suite in $(GENERATED); do $(BIN)/pytest -q -p no:cacheprovider $$suite || exit 1; done
	$(BIN)/mypy generator templates/runtime
	for pkg in generated/*/; do (cd $$pkg && ../../$(BIN)/mypy --strict . && ../../$(BIN)/ruff check .) || exit 1; done
	$(BIN)/ruff check generator templates/runtime tests

check: $(STAMP)
	$(BIN)/oagen check

lint: $(STAMP)
	$(BIN)/ruff check generator templates/runtime tests
	$(BIN)/mypy generator templates/runtime
	$(BIN)/oagen lint

bench: $(STAMP)
	$(BIN)/python bench/run.py

corpus: $(STAMP)
	$(BIN)/python bench/corpus.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
