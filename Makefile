# Briefing site: seeds/ → content/ (Markdown) → output/ (HTML). Variables can be set on the
# command line, e.g. `make html SEEDDIR=~/clippings OUTPUTDIR=/tmp/site`.

PY ?= python3
VENV ?= .venv
PYTHON = $(VENV)/bin/python
PELICAN = $(VENV)/bin/pelican
PELICANOPTS ?=

BASEDIR = $(CURDIR)
SEEDDIR ?= $(BASEDIR)/seeds
INPUTDIR ?= $(BASEDIR)/content
OUTPUTDIR ?= $(BASEDIR)/output
CONFFILE ?= $(BASEDIR)/pelicanconf.py
PUBLISHCONF ?= $(BASEDIR)/publishconf.py
PORT ?= 8000
BIND ?= 127.0.0.1
CONVERTOPTS ?=
BENCHOPTS ?=

# Builds into a temporary folder and swaps it in only on success; Pelican runs with
# --fatal errors, because it logs an ERROR and still exits 0 by default.
PELICAN_BUILD = $(PYTHON) scripts/build.py "$(INPUTDIR)" "$(OUTPUTDIR)"

.PHONY: help install html convert serve devserver publish clean test bench

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/:.*## /\t/'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed  ## Create .venv with the pinned packages

convert: install  ## Convert SEEDDIR into INPUTDIR/briefings
	$(PYTHON) scripts/convert.py "$(SEEDDIR)" "$(INPUTDIR)" $(CONVERTOPTS)

html: convert  ## Convert the seeds and build the site into OUTPUTDIR
	$(PELICAN_BUILD) -s "$(CONFFILE)" -- $(PELICANOPTS)

serve: html  ## Build, then serve OUTPUTDIR on http://127.0.0.1:PORT
	$(PELICAN) -l "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(BIND)

devserver: convert  ## Build, serve and rebuild when content, theme or settings change
	$(PELICAN) -lr "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(BIND) $(PELICANOPTS)

publish: convert  ## Build for static hosting with publishconf.py (needs SITEURL=https://…)
	$(PELICAN_BUILD) -s "$(PUBLISHCONF)" -- $(PELICANOPTS)

clean:  ## Remove the built site, the generated Markdown and the build caches
	rm -rf "$(OUTPUTDIR)" "$(INPUTDIR)/briefings" "$(INPUTDIR)/sources" "$(INPUTDIR)/.cache"

test: install  ## Run the whole test suite (conversion, built site, links, browser)
	$(PYTHON) -m pytest $(PYTESTOPTS)

bench: install  ## Time conversion, builds and rebuilds against plain Pelican and Hugo (BENCHOPTS="--sizes 1000")
	$(PYTHON) scripts/bench.py $(BENCHOPTS)
