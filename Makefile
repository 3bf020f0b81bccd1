# The edition's build. Two commands are all a new machine needs:
#   make pdf    # sets up .venv (and Debian libraries when run as root), builds build/edition.pdf
#   make test   # the test suite
# Every output target depends on its real inputs, so a rebuild with nothing changed does nothing.

SHELL := /bin/sh
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EDITION := $(BIN)/edition
BUILD := build

# Inputs: the edition's data, the styles and fonts, and the pipeline's code.
TEI := $(wildcard edition/*.xml edition/references/*.xml)
BIB := $(wildcard bib/*.bib)
STYLES := $(wildcard styles/*.css styles/*.csl styles/*.js styles/fonts/*)
CODE := $(wildcard scripts/tei_edition/*.py scripts/tei_edition/*.lua scripts/tei_edition/*/*.py schema/*)
INPUTS := $(TEI) $(BIB) $(STYLES) $(CODE)

SYSTEM_STAMP := $(VENV)/.system-build
TEST_SYSTEM_STAMP := $(VENV)/.system-test
INSTALL_STAMP := $(VENV)/.installed

.PHONY: all pdf pdf-print pdf-archive html epub validate schema test lint bench clean setup

all: pdf

setup: $(INSTALL_STAMP)

$(SYSTEM_STAMP):
	sh scripts/install-system-deps build
	@mkdir -p $(VENV) && touch $@

$(TEST_SYSTEM_STAMP): $(SYSTEM_STAMP)
	sh scripts/install-system-deps test
	@touch $@

$(INSTALL_STAMP): pyproject.toml $(SYSTEM_STAMP)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

pdf: $(BUILD)/edition.pdf
$(BUILD)/edition.pdf: $(INSTALL_STAMP) $(INPUTS)
	$(EDITION) build pdf -o $@

pdf-print: $(BUILD)/edition-print.pdf
$(BUILD)/edition-print.pdf: $(INSTALL_STAMP) $(INPUTS)
	$(EDITION) build pdf --variant print -o $@

pdf-archive: $(BUILD)/edition-archive.pdf
$(BUILD)/edition-archive.pdf: $(INSTALL_STAMP) $(INPUTS)
	$(EDITION) build pdf --variant archive -o $@

html: $(BUILD)/html/index.html
$(BUILD)/html/index.html: $(INSTALL_STAMP) $(INPUTS)
	$(EDITION) build html -o $(BUILD)/html

epub: $(BUILD)/edition.epub
$(BUILD)/edition.epub: $(INSTALL_STAMP) $(INPUTS)
	$(EDITION) build epub -o $@

# `make schema` derives schema/edition.rng (tei_all reduced to the elements the edition uses).
schema: $(INSTALL_STAMP)
	$(BIN)/python scripts/derive-schema

# `make validate` checks the edition and bib/; `make validate FILES="a.xml dir/"` checks those.
FILES ?=
validate: $(INSTALL_STAMP)
	$(EDITION) validate $(FILES)

test: $(INSTALL_STAMP) $(TEST_SYSTEM_STAMP)
	$(BIN)/python -m pytest -q

lint: $(INSTALL_STAMP)
	$(BIN)/ruff check scripts tests

bench: $(INSTALL_STAMP)
	$(BIN)/python scripts/bench

clean:
	rm -rf $(BUILD)
