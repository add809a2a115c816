# The dashboard (web/): a React + TypeScript app built with Vite into web/dist/app, which
# the Go package web embeds. Node and npm are needed only to build and test it; a binary
# built without them serves web/dist/placeholder.html.
#
#   make ui        npm ci when package-lock.json changed, npm run build when a source changed
#   make web-test  the Vitest component tests (and the check that the API types are current)
#   make e2e       the end-to-end stories in Chromium against bin/oneko in local mode
#   make web-bench the dashboard's figures (first-load size, home page with 1,000 projects,
#                  status change to the DOM); printed, never asserted

WEB          := web
NPM          ?= npm
WEB_INSTALLED := $(WEB)/node_modules/.oneko-installed
WEB_BUILT    := $(WEB)/dist/app/index.html
WEB_SOURCES  := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
	$(addprefix $(WEB)/,index.html package.json vite.config.ts tsconfig.json postcss.config.cjs openapi.json)

.PHONY: ui web-test e2e web-bench

$(WEB_INSTALLED): $(WEB)/package-lock.json
	cd $(WEB) && $(NPM) ci --no-audit --no-fund
	@touch $@

$(WEB_BUILT): $(WEB_INSTALLED) $(WEB_SOURCES)
	cd $(WEB) && $(NPM) run build

ui: $(WEB_BUILT) ## Build the dashboard into web/dist/app when its sources changed (npm ci first when needed).

web-test: $(WEB_INSTALLED) ## Run the dashboard's component tests (Vitest).
	cd $(WEB) && $(NPM) test

e2e: test-deps kube-bins build ## Run the dashboard's end-to-end stories in Chromium against bin/oneko.
	cd $(WEB) && ONEKO_BIN=$(CURDIR)/$(BIN)/oneko $(NPM) run e2e

web-bench: test-deps kube-bins build ## Measure the dashboard's figures (printed, never asserted).
	cd $(WEB) && ONEKO_BIN=$(CURDIR)/$(BIN)/oneko $(NPM) run bench
