# pressroom: one release source -> PDF brief, EPUB, web page, Atom and RSS.  `make help` lists targets.
#
# make decides *what* is stale; one `pressroom build` call renders every stale format (one
# start, one load of the sources, WeasyPrint imported once). Each format has a stamp in
# .build/stamps whose prerequisites are the sources and everything the format reads; its
# recipe only notes the format and `$?` (what changed since its last build), and the one call
# re-renders the releases that changed, unless a shared input (publication.yaml, a style, a
# template, the code) changed.
#
# dist/ holds only what is published; what make keeps between runs is in .build/, written by
# pressroom build (never while make reads this file: `make help` writes nothing).

MAKEFLAGS += --no-builtin-rules --no-builtin-variables
.SUFFIXES:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all
SHELL := /bin/bash
STATE := .build

# One build of a tree at a time. A make that builds (any goal but those in UNLOCKED) takes an
# flock on .build/lock (flock(1), util-linux) and runs itself again under it, the lock held on
# descriptor LOCK_FD, which every recipe and pressroom process below inherits (the one build
# call, and its workers for `make -j`), while a second make on this tree (or a `pressroom build`
# or `pressroom pack`, which take the same lock: files.tree_lock) waits for the first and says
# so once. `make -n` and `make -q` run nothing, `watch` locks each rebuild (each is a make),
# and a system without flock(1) or /proc leaves the lock to each pressroom process.
LOCK_FD := 9
UNLOCKED := help watch new docs test test-fast lint bench setup system-packages preview-packages
GOALS := $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))
FLOCK := $(firstword $(wildcard $(addsuffix /flock,$(subst :, ,$(PATH)))))
LOCKED := $(and $(wildcard $(STATE)/lock),$(filter $(realpath $(STATE)/lock),$(realpath \
	/proc/self/fd/$(LOCK_FD))))
FLAGS := $(filter-out -%,$(firstword $(MAKEFLAGS)))
ifeq ($(LOCKED)$(findstring n,$(FLAGS))$(findstring q,$(FLAGS))$(filter watch,$(GOALS)),)
ifneq ($(and $(FLOCK),$(wildcard /proc/self/fd),$(filter-out $(UNLOCKED),$(GOALS))),)
TAKE_LOCK := 1
endif
endif

ifdef TAKE_LOCK
# What runs here: make again, under the lock, for the same goals (variables given on the
# command line and -j reach it through MAKEFLAGS); MAKELEVEL reset, so that it speaks as
# `make:`, as the make that was typed.
relock = @$(if $(wildcard $(STATE)),,mkdir -p $(STATE) &&) exec $(LOCK_FD)>>$(STATE)/lock && \
	{ $(FLOCK) -n $(LOCK_FD) || { echo "make: waiting for another build of this tree…" >&2; \
	$(FLOCK) $(LOCK_FD); }; } && \
	MAKELEVEL= exec $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) $(MAKECMDGOALS)
.PHONY: $(GOALS) relock
ifneq ($(filter grouped-target,$(.FEATURES)),)
$(GOALS) &:
	+$(relock)
else
$(GOALS): relock ; @:
relock:
	+$(relock)
endif
else # the build itself: under the lock, or not building
# What changed ($?) reaches pressroom through a file written by make, never on a command line:
# a file name is data, and the shell never sees it (a name like `$(id).png` runs nothing).
empty :=
space := $(empty) $(empty)
comma := ,
define newline


endef
# A file name expanded a second time (.SECONDEXPANSION below) must stay a name: `$` doubled.
escape = $(subst $$,$$$$,$(1))
# The stale formats, each a file of what changed for it, private to this make (its process id):
# two makes at once on one tree never read or remove each other's.
MAKE_PID := $(shell echo $$PPID)
PENDING := $(STATE)/pending.$(MAKE_PID)

# Python may cache compiled modules even where the environment says not to: without the cache
# every pressroom run compiles its modules and WeasyPrint's again (about a second).
unexport PYTHONDONTWRITEBYTECODE
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PRESSROOM := $(VENV)/bin/pressroom
READY := $(VENV)/.ready
DIST := dist
HELD := held
STAMPS := $(STATE)/stamps
QUIET ?=

# Debian packages: harfbuzz subsetting (5.5x faster font subsetting in WeasyPrint), Pango for
# WeasyPrint, a JDK for EPUBCheck (javac lets make check run every EPUB in one JVM: 20x faster
# than one JVM a book), jing for RELAX NG validation of Atom, poppler for PDF pages, FriBidi
# for the covers' right-to-left lines (Pillow's Raqm loads it at run time).
SYSTEM_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 default-jdk-headless \
	jing poppler-utils libfribidi0
# For the tests only: a real browser loads and screenshots the web pages; zbar scans the
# printed QR codes.
TEST_PACKAGES := chromium fonts-dejavu-core zbar-tools
# For make preview (and its tests): the real clients that show the outputs: Calibre the EPUBs
# (without its recommends: ebook-convert runs headless with what it depends on), newsboat the
# feed and the OPDS catalogue, NeoMutt the e-mails, both in tmux. Calibre is large: about 105
# packages and 50 s to install, so `make test`'s TEST_PACKAGES leaves it to the preview tests.
PREVIEW_PACKAGES := $(TEST_PACKAGES) calibre newsboat neomutt tmux

# DAISY Ace, the EPUB accessibility checker `make check` runs on every book: npm's
# @daisy/ace-cli at this version, installed on demand into .build/ace/ (never globally), without
# the browser Puppeteer would download: it runs on Debian's chromium. Node.js (node, npm) is not
# installed by make: without it, make check skips Ace and says so.
ACE_VERSION := 1.4.6
ACE_PACKAGES := chromium
ACE := $(STATE)/ace
ACE_READY := $(ACE)/installed-$(ACE_VERSION)
NODE_BIN := $(wildcard $(addsuffix /node,$(subst :, ,$(PATH))))
NODE := $(and $(NODE_BIN),$(wildcard $(addsuffix /npm,$(subst :, ,$(PATH)))))
NEEDS_NODE := ace: skipped: DAISY Ace needs Node.js (node and npm, e.g. apt-get install nodejs npm)

SOURCES := $(sort $(wildcard source/*.md))
SLUGS := $(patsubst source/%.md,%,$(SOURCES))
PUBLICATION := source/publication.yaml
# The code outputs depend on (not the editor's tools: new, docs, preview, serve).
CODE := $(filter-out src/pressroom/load/docs.py, \
	$(wildcard src/pressroom/*.py $(foreach p,load text plan prepare render,src/pressroom/$(p)/*.py)))
FORMATS := pdf epub feed html ninjs opds email
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
DRAFTS ?=

# What the last build decided (written by pressroom build into .build/; no Python runs to read
# it). visibility.mk: BUILT_SLUGS, the releases it read; BUILT_DRAFTS; LIFT_WINDOW, the time
# window in which its plan of what is public holds. outputs.mk, per format (from layout.py and
# render.READS): OUTPUTS.<format>, the files it should have in dist/; GLOBS.<format>, where
# they are; READS.<format>, the files of styles/ it reads. Before a first build both are empty.
BUILT_SLUGS :=
BUILT_DRAFTS :=
LIFT_WINDOW :=
PICTURES :=
-include $(STATE)/visibility.mk $(STATE)/outputs.mk
# Pictures: those under source/ one folder deep (any case of .jpg .jpeg .png .svg), and every
# picture the last build saw a release or the publication show, at any depth (PICTURES, from
# outputs.mk). One of those gone is noticed too (the build then names the release missing it).
IMAGES := $(sort $(wildcard $(foreach d,source source/*,$(foreach e,jpg jpeg png svg JPG JPEG PNG SVG,$(d)/*.$(e)))) \
	$(wildcard $(PICTURES)))
COMMON := $(PUBLICATION) $(CODE) $(IMAGES) $(READY)
# An embargo that ended since (or a PRESSROOM_NOW outside the window), a change of DRAFTS, or a
# source added or removed (even one with an old mtime: mv, cp -p, tar) changes what is public:
# every format is re-planned. One shell runs only while embargoes exist.
ifneq ($(strip $(LIFT_WINDOW)),)
REPLAN := $(shell now=$$(date -d "$${PRESSROOM_NOW:-now}" +%s 2>/dev/null || date +%s); \
	set -- $(LIFT_WINDOW); [ "$$now" -ge "$$1" ] && { [ -z "$$2" ] || [ "$$now" -lt "$$2" ]; } \
	|| echo FORCE)
endif
ifneq ($(strip $(DRAFTS)),$(strip $(BUILT_DRAFTS)))
REPLAN := FORCE
endif
ifneq ($(filter-out $(IMAGES),$(PICTURES)),)
REPLAN := FORCE
endif
ifneq ($(strip $(SLUGS)),$(strip $(BUILT_SLUGS)))
REPLAN := FORCE
endif

# $(call stale,expected outputs,globs): FORCE when an output is missing or an orphan exists,
# so deleting an output or a source is noticed without running Python.
stale = $(if $(strip $(filter-out $(wildcard $(2)),$(1)) $(filter-out $(1),$(wildcard $(2)))),FORCE)

.PHONY: all build $(FORMATS) pack new docs preview watch check test test-fast lint bench clean \
	distclean help setup ace FORCE

all: build ## build every output into dist/ (the default; DRAFTS=1 adds drafts)
	$(if $(strip $(file < $(STATE)/held.txt)),$(info $(file < $(STATE)/held.txt)))

pdf: build ## PDF briefs: dist/pdf/<release>.pdf
epub: build ## EPUB 3 e-books: dist/epub/<release>.epub, digests in dist/epub/digests/
feed: build ## feeds: dist/feed/atom.xml, rss.xml, feed.json, archives in dist/feed/archive/
html: build ## web pages: dist/releases/<release>.html, dist/index.html, dist/archive/
ninjs: build ## IPTC ninjs 2.1 JSON for agencies: dist/ninjs/<release>.json
opds: build ## OPDS 1.2 catalogue of the EPUBs and PDFs for e-reader apps: dist/opds/index.xml
email: build ## e-mail edition (MIME, PDF attached): dist/email/<release>.eml
$(FORMATS): ; @: # a format's goal adds nothing to the one build

# The formats asked for: those named, when only formats are named (`make pdf epub`); else all
# (`make`, `make check`, `make preview`).
WANTED := $(if $(filter-out $(FORMATS),$(GOALS)),$(FORMATS),$(GOALS))

# One rule for every format's stamp: note the format as stale (STALE, a make variable: only a
# format's name is evaluated, never a file's) with what changed for it ($? minus FORCE) in a
# file; the format's own prerequisites (READS.<format>, its outputs) are expanded a second time,
# once make knows which format $* is.
STALE :=
.SECONDEXPANSION:
$(FORMATS:%=$(STAMPS)/%): $(STAMPS)/%: $(call escape,$(SOURCES) $(COMMON)) $$(READS.$$*) $(REPLAN) \
		$$(call stale,$$(OUTPUTS.$$*),$$(GLOBS.$$*)) | $(STAMPS)
	$(eval STALE += $*)$(shell mkdir -p $(PENDING))$(file >$(PENDING)/$*,$(subst $(space),$(newline),$(strip $(filter-out FORCE $(STAMPS)/%,$?))))

# An e-mail attaches its release's PDF brief as the pdf format wrote it: `make email` builds the
# stale PDFs too, and the one call below makes them first (it builds in the order of FORMATS).
# Order only: what a PDF is made from (sources, styles, code) is among the e-mail's own inputs.
$(STAMPS)/email: | $(STAMPS)/pdf

# The one pressroom call for every stale format (their files of what changed, joined), in the
# order of FORMATS. Once it has built them, their stamps take the time it started (a file
# touched then: the clock of the files' own times), so that a source saved while it ran is
# newer than the stamps, and the next make builds it. Nothing stale: no recipe.
BUILDING = $(filter $(STALE),$(FORMATS))
build: $(WANTED:%=$(STAMPS)/%)
	$(if $(STALE),@touch $(PENDING)/started; \
	cat $(BUILDING:%=$(PENDING)/%) | sort -u > $(PENDING)/changed; \
	echo "pressroom build --format $(subst $(space),$(comma),$(BUILDING)) ($$(grep -c . \
		$(PENDING)/changed) changed input(s))"; \
	$(PRESSROOM) --source source --styles styles build --dist $(DIST) --state $(STATE) \
		--format $(subst $(space),$(comma),$(BUILDING)) --jobs $(JOBS) $(if $(QUIET),--quiet) \
		$(if $(DRAFTS),--drafts) --changed-from $(PENDING)/changed; status=$$?; \
	if [ $$status -eq 0 ]; then touch -r $(PENDING)/started $(BUILDING:%=$(STAMPS)/%); fi; \
	rm -rf $(PENDING); exit $$status)

$(STAMPS):
	@mkdir -p $@

pack: $(READY) ## briefing-pack PDF of all releases (FROM=, TO=, KEYWORD= select) -> dist/packs/
	$(PRESSROOM) --source source --styles styles pack --dist $(DIST) \
		$(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO)) $(if $(KEYWORD),--keyword "$(KEYWORD)")

new: $(READY) ## start a release: make new TITLE="Headline" writes source/<date>-<slug>.md
	@test -n "$$TITLE" || { echo 'usage: make new TITLE="Headline"' >&2; exit 64; }
	@$(PRESSROOM) --source source new -- "$$TITLE"

# The README's pictures: the seed release as each output shows it, from `make preview`.
README_SLUG := 2017-01-25-mexico-defenders
README_PICTURES := pdf/$(README_SLUG)-1.png epub/$(README_SLUG).png \
	web/$(README_SLUG)-desktop.png web/$(README_SLUG)-phone.png feed/atom-list.png \
	feed/atom-article.png opds/index.png email/$(README_SLUG).png \
	email/$(README_SLUG)-attachments.png

preview: all preview-packages ## every output as a real client shows it (PNGs) -> .build/preview/index.html
	$(PRESSROOM) --source source --styles styles preview --dist $(DIST) $(if $(QUIET),--quiet)
	@mkdir -p docs/images; for f in $(README_PICTURES); do \
		if [ -f $(STATE)/preview/$$f ]; then cp $(STATE)/preview/$$f docs/images/$$(echo $$f | tr / -); fi; \
	done

# The clients make preview shows the outputs in (its tests install them so too).
.PHONY: preview-packages
preview-packages:
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(PREVIEW_PACKAGES)"

watch: $(READY) ## serve dist/ on http://127.0.0.1:8000/ (PORT=), rebuild on save, reload the page
	$(PRESSROOM) --source source --styles styles serve $(if $(PORT),--port $(PORT))

docs: $(READY) ## regenerate docs/writing-a-release.md and README.md's field table from the field table
	$(PRESSROOM) docs --out docs/writing-a-release.md --readme README.md

check: all $(if $(NODE),$(ACE_READY)) ## validate every output: EPUBCheck, DAISY Ace, Atom/RSS rules + feedparser, PDF fonts/tags/metadata
	$(if $(NODE),@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(ACE_PACKAGES)",$(if $(NODE_BIN),@echo "$(NEEDS_NODE)"))
	$(PRESSROOM) check --dist $(DIST) $(if $(DRAFTS),--drafts)

# make ace: install DAISY Ace (what make check does first); the tests install it so.
ace: $(if $(NODE),$(ACE_READY))
	$(if $(NODE),,@echo "$(NEEDS_NODE)")

# Under the tree's lock (make check and make ace take it); into a folder of this make's own,
# renamed into place once complete, so an interrupted or concurrent install never leaves a
# half one that looks ready. npm runs no package's install script (Puppeteer's would fetch a
# browser).
$(ACE_READY):
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(ACE_PACKAGES)"
	@echo "installing DAISY Ace $(ACE_VERSION) into $(ACE)/ (npm)"
	@tmp=$(ACE).new.$(MAKE_PID); rm -rf $$tmp && mkdir -p $$tmp && \
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix $$tmp --no-save --ignore-scripts --no-audit \
		--no-fund --loglevel=error @daisy/ace-cli@$(ACE_VERSION) >$$tmp.log 2>&1 \
		|| { cat $$tmp.log >&2; rm -rf $$tmp $$tmp.log; exit 1; }; \
	rm -f $$tmp.log && touch $$tmp/$(notdir $(ACE_READY)) && rm -rf $(ACE) && mv $$tmp $(ACE)

test: $(READY) ## run the test suite (pytest), which also runs `make check` on test fixtures
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(TEST_PACKAGES)"
	$(PY) -m pytest -q

test-fast: $(READY) ## the tests not marked slow (no Chromium, nested make or stress runs)
	$(PY) -m pytest -q -m "not slow"

bench: $(READY) ## benchmark 10/100/1000 releases against pandoc and bare WeasyPrint -> docs/benchmarks.md
	@command -v pandoc >/dev/null || $(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES=pandoc
	$(PY) tests/bench/run.py $(BENCH_ARGS)

lint: $(READY) ## ruff, mypy --strict and the import contracts (.importlinter)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

setup: $(READY) ## create .venv and install pressroom, its dependencies and system packages

$(READY): pyproject.toml
	@$(MAKE) --no-print-directory system-packages
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

.PHONY: system-packages
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
		echo "pressroom: please install: $$missing (not a Debian system)"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo; \
	else echo "pressroom: please install (as root): $$missing"; exit 0; fi; \
	echo "installing system packages: $$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends \
		$$missing >/dev/null

clean: ## remove dist/, the press kit (held/) and the build state and cache (.build/)
	rm -rf $(DIST) $(HELD) $(STATE)

distclean: clean ## remove dist/ and the virtual environment
	rm -rf $(VENV)

help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 22

FORCE:

endif
