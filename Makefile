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
PUBLISHDIR ?= $(BASEDIR)/public
CONFFILE ?= $(BASEDIR)/pelicanconf.py
PUBLISHCONF ?= $(BASEDIR)/publishconf.py
PORT ?= 8000
BIND ?= 127.0.0.1
CONVERTOPTS ?=
OFFLINE_ZIP ?= $(BASEDIR)/briefings-offline.zip
BUILD_SERVER ?= auto
BUILD_SERVER_IDLE ?= 1800

# Upload targets (as in Pelican's quickstart); nothing is uploaded unless you run them.
SSH_HOST ?= localhost
SSH_PORT ?= 22
SSH_USER ?= $(USER)
SSH_TARGET_DIR ?= /var/www/briefings
GITHUB_PAGES_BRANCH ?= gh-pages
GITHUB_REMOTE ?= origin
BENCHOPTS ?=

# Builds into a temporary folder and swaps it in only on success; Pelican runs with
# --fatal errors, because it logs an ERROR and still exits 0 by default. make html builds
# OUTPUTDIR (relative links: preview, offline zip), make publish PUBLISHDIR (absolute links, for
# the host): each keeps its own site, so neither renders every page again after the other.
BUILD = $(PYTHON) scripts/build.py "$(INPUTDIR)"
# make html runs both steps through the site's build server, which keeps the last build for the
# next make html (scripts/make_html.py; BUILD_SERVER=off goes without, and so does CI=true).
MAKE_HTML = $(PYTHON) scripts/make_html.py "$(SEEDDIR)" "$(INPUTDIR)" "$(OUTPUTDIR)" -s "$(CONFFILE)" \
	--server $(BUILD_SERVER) --server-idle $(BUILD_SERVER_IDLE)

.PHONY: help install npm html convert serve devserver publish offline rsync_upload github stop clean test bench

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/:.*## /\t/'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed  ## Create .venv with the pinned packages

# The audit tools (axe-core, vnu-jar, Lighthouse), exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

npm: node_modules/.installed  ## Install the pinned npm audit tools into node_modules

convert: install  ## Convert SEEDDIR into INPUTDIR/briefings
	$(PYTHON) scripts/convert.py "$(SEEDDIR)" "$(INPUTDIR)" $(CONVERTOPTS)

html: install  ## Convert the seeds and build the site into OUTPUTDIR (through its build server)
	$(MAKE_HTML) $(CONVERTOPTS) -- $(PELICANOPTS)

serve: html  ## Build, then serve OUTPUTDIR on http://127.0.0.1:PORT
	$(PELICAN) -l "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) -b $(BIND)

devserver: install  ## Build, serve on http://BIND:PORT, rebuild when a seed, page, theme or setting changes
	$(PYTHON) scripts/devserver.py "$(SEEDDIR)" "$(INPUTDIR)" "$(OUTPUTDIR)" -s "$(CONFFILE)" \
		--bind $(BIND) --port $(PORT) -- $(PELICANOPTS)

publish: convert  ## Build PUBLISHDIR for static hosting with publishconf.py (needs SITEURL=https://…)
	$(BUILD) "$(PUBLISHDIR)" -s "$(PUBLISHCONF)" -- $(PELICANOPTS)

offline: html  ## Build, then zip the site into OFFLINE_ZIP: unzip anywhere, open index.html
	$(PYTHON) scripts/offline.py "$(OUTPUTDIR)" "$(OFFLINE_ZIP)"

rsync_upload: publish  ## Publish, then rsync PUBLISHDIR to SSH_USER@SSH_HOST:SSH_TARGET_DIR
	rsync -e "ssh -p $(SSH_PORT)" -P -rvzc --cvs-exclude --delete "$(PUBLISHDIR)"/ "$(SSH_USER)@$(SSH_HOST):$(SSH_TARGET_DIR)"

github: publish  ## Publish, then commit PUBLISHDIR to GITHUB_PAGES_BRANCH and push it
	$(VENV)/bin/ghp-import -n -m "Generate Pelican site" -b $(GITHUB_PAGES_BRANCH) "$(PUBLISHDIR)"
	git push $(GITHUB_REMOTE) $(GITHUB_PAGES_BRANCH)

stop:  ## Stop the build server of OUTPUTDIR (whichever SEEDDIR, INPUTDIR and CONFFILE make html had)
	@if [ -x $(PYTHON) ]; then $(MAKE_HTML) --stop -- $(PELICANOPTS); fi

clean: stop  ## Stop the build server; remove the built sites, the generated Markdown, the caches and the offline zip
	rm -rf "$(OUTPUTDIR)" "$(PUBLISHDIR)" "$(INPUTDIR)/briefings" "$(INPUTDIR)/sources" "$(INPUTDIR)/.cache" "$(OFFLINE_ZIP)"

test: install npm  ## Run the whole test suite (conversion, built site, links, browser, audits)
	$(PYTHON) -m pytest $(PYTESTOPTS)

bench: install  ## Time conversion, builds and rebuilds against plain Pelican and Hugo (BENCHOPTS="--sizes 1000")
	$(PYTHON) scripts/bench.py $(BENCHOPTS)
