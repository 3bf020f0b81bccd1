# The edition's build. Two commands are all a new machine needs:
#   make pdf    # sets up .venv (and Debian libraries when run as root), builds build/edition.pdf
#   make test   # the test suite
# Every output target depends on its real inputs, so a rebuild with nothing changed does nothing.

SHELL := /bin/sh
# A build replaces its output atomically, so a failure before that leaves the previous output. A
# failure after it (the dependency file not written, an error reported while writing) must not
# leave a new output that looks up to date: make deletes a target that a failed recipe changed.
.DELETE_ON_ERROR:
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EDITION := $(BIN)/edition
BUILD := build

# Inputs. The data an output is made from (TEI, registers, BibTeX, images) is listed by the
# build itself, in a dependency file beside the output (`edition build --depfile`, as `cc -MD`
# does), so that a change rebuilds only the outputs made from it; the styles, fonts and code
# every output depends on are listed here.
CORPUS := edition/edition.xml
# The articles: the files the corpus includes. `make articles` builds a PDF of each on its own.
ARTICLES := $(shell sed -n 's/.*<[A-Za-z]*:*include[^>]*href="\([^"]*\.xml\)".*/\1/p' $(CORPUS))
STYLES := $(wildcard styles/*.css styles/*.csl styles/*.js styles/*.svg styles/fonts/* styles/color/*)
CODE := $(wildcard scripts/tei_edition/*.py scripts/tei_edition/*.lua scripts/tei_edition/*/*.py schema/*)

SYSTEM_STAMP := $(VENV)/.system-build
TEST_SYSTEM_STAMP := $(VENV)/.system-test
INSTALL_STAMP := $(VENV)/.installed

.PHONY: FORCE all pdf pdf-print pdf-archive articles html epub serve validate schema test lint bench clean setup places map-borders cmyk-profile fallback-font

all: pdf

setup: $(INSTALL_STAMP)

$(SYSTEM_STAMP):
	sh scripts/install-system-deps build
	@mkdir -p $(VENV) && touch $@

# The tests' accessibility checker, axe-core, from the npm registry into .venv/node.
AXE_VERSION := 4.14.1
$(TEST_SYSTEM_STAMP): $(SYSTEM_STAMP)
	sh scripts/install-system-deps test
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@$(AXE_VERSION)
	@touch $@

$(INSTALL_STAMP): pyproject.toml $(SYSTEM_STAMP)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@touch $@

BUILT_FROM := $(INSTALL_STAMP) $(STYLES) $(CODE)

pdf: $(BUILD)/edition.pdf
$(BUILD)/edition.pdf: $(CORPUS) $(BUILT_FROM)
	$(EDITION) build pdf $(CORPUS) -o $@ --depfile $@.d

pdf-print: $(BUILD)/edition-print.pdf
$(BUILD)/edition-print.pdf: $(CORPUS) $(BUILT_FROM)
	$(EDITION) build pdf $(CORPUS) --variant print -o $@ --depfile $@.d

pdf-archive: $(BUILD)/edition-archive.pdf
$(BUILD)/edition-archive.pdf: $(CORPUS) $(BUILT_FROM)
	$(EDITION) build pdf $(CORPUS) --variant archive -o $@ --depfile $@.d

articles: $(ARTICLES:%.xml=$(BUILD)/articles/%.pdf)
$(BUILD)/articles/%.pdf: edition/%.xml $(BUILT_FROM)
	$(EDITION) build pdf edition/$*.xml -o $@ --depfile $@.d

html: $(BUILD)/html
# The site offers the PDF and the EPUB for download: they are built first. A draft built in its
# place (`edition build html --no-search`, no search page), newer than every input though it is,
# is not the site: it is built again.
$(BUILD)/html: $(CORPUS) $(BUILT_FROM) $(BUILD)/edition.pdf $(BUILD)/edition.epub \
		$(if $(wildcard $(BUILD)/html/search.html),,FORCE)
	$(EDITION) build html $(CORPUS) -o $@ --depfile $@.d

FORCE:

epub: $(BUILD)/edition.epub
$(BUILD)/edition.epub: $(CORPUS) $(BUILT_FROM)
	$(EDITION) build epub $(CORPUS) -o $@ --depfile $@.d

-include $(wildcard $(BUILD)/*.d $(BUILD)/articles/*.d)

# `make serve`: the web edition on http://127.0.0.1:8000/, rebuilt and reloaded on each save.
serve: $(INSTALL_STAMP)
	$(EDITION) serve $(CORPUS)

# `make schema` derives schema/edition.rng (tei_all reduced to the elements the edition uses).
schema: $(INSTALL_STAMP)
	$(BIN)/python scripts/derive-schema

# `make validate` checks the edition and bib/; `make validate FILES="a.xml dir/"` checks those,
# in one process per core (JOBS=1 for one).
FILES ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
validate: $(INSTALL_STAMP)
	$(EDITION) validate -j $(JOBS) $(FILES)

# The test files are shared out among the cores (JOBS, as validate's), each file whole in one
# process, so that a file's fixtures (the edition's PDF, a compiled schema) are made once.
test: $(INSTALL_STAMP) $(TEST_SYSTEM_STAMP)
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile

lint: $(INSTALL_STAMP)
	$(BIN)/ruff check scripts tests $(shell grep -ls '^#!/usr/bin/env python' scripts/*)

# `make places` gives the register's places their coordinates from the stored source
# (scripts/locate-places); `make map-borders` re-projects the map's modern borders from Natural
# Earth (npm: world-atlas, d3-geo) into edition/maps/borders.json. Both outputs are committed:
# builds need neither the network nor Node.
places: $(INSTALL_STAMP)
	$(BIN)/python scripts/locate-places

# `make fallback-font` cuts the fallback face of the font stacks (what Libertine lacks) from
# Debian's Junicode into styles/fonts/Fallback_R.otf (scripts/make-fallback-font); committed.
fallback-font: $(INSTALL_STAMP)
	sh scripts/install-system-deps fonts
	$(BIN)/python scripts/make-fallback-font

MAP_FRAME := 40.2 38.3 50.4 42.5 1000 600   # west south east north (degrees), width height
map-borders:
	cd scripts/map && npm ci --silent && node borders.mjs $(MAP_FRAME) > ../../edition/maps/borders.json.tmp
	mv edition/maps/borders.json.tmp edition/maps/borders.json

# `make cmyk-profile` remakes the print variant's output intent, styles/color/FOGRA39L-argyll.icc
# (committed: builds need neither package), from the FOGRA39 characterization data of Debian's
# icc-profiles-free with Argyll's colprof (styles/color/LICENSE.md).
CMYK_DATA := /usr/share/color/icc/FOGRA39L.ti3
cmyk-profile:
	sh scripts/install-system-deps cmyk-profile
	rm -rf $(BUILD)/cmyk-profile && mkdir -p $(BUILD)/cmyk-profile
	cp $(CMYK_DATA) $(BUILD)/cmyk-profile/FOGRA39L.ti3
	cd $(BUILD)/cmyk-profile && colprof -qm \
	    -D "Coated FOGRA39 (ISO 12647-2:2004), made by Argyll colprof from FOGRA39L.ti3" \
	    -C "Characterization data FOGRA39L.ti3 (c) Kai-Uwe Behrmann, Zlib licence" FOGRA39L
	mv $(BUILD)/cmyk-profile/FOGRA39L.icc styles/color/FOGRA39L-argyll.icc

bench: $(INSTALL_STAMP)
	$(BIN)/python scripts/bench

clean:
	rm -rf $(BUILD)
