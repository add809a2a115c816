# oneko — `make help` lists the targets. A newcomer needs two: `make run` and `make test`.
SHELL        := /bin/bash
GO           ?= go
BIN          ?= bin
GOBIN_DIR    := $(shell $(GO) env GOPATH)/bin
STATICCHECK  := $(GOBIN_DIR)/staticcheck
export ONEKO_DATA_DIR ?= $(CURDIR)/.oneko

include mk/*.mk

.DEFAULT_GOAL := help

.PHONY: help build run test test-deps lint bench openapi

help: ## Show this help.
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

build: ui ## Build the oneko binary (with the dashboard) into bin/.
	$(GO) build -o $(BIN)/oneko ./cmd/oneko

run: build ## Run the whole system locally at http://127.0.0.1:8080 (embedded store, in-process Redis, local cluster).
	@mkdir -p $(ONEKO_DATA_DIR)
	@# The dashboard serves at once; without a kubeconfig the local cluster's programs are built
	@# in the background (the first time) and oneko starts the cluster when they are there.
	@if [ -z "$${ONEKO_KUBECONFIG:-$${KUBECONFIG:-}}" ] && ! $(MAKE) -s kube-bins-present; then \
		echo "run: building the local cluster's programs in the background (log: $(ONEKO_DATA_DIR)/kube-bins.log);"; \
		echo "run: the dashboard is up meanwhile, and deploys run once the cluster has started"; \
		( $(MAKE) -s kube-bins > $(ONEKO_DATA_DIR)/kube-bins.log 2>&1 & ); fi
	$(BIN)/oneko

test-deps: ## Install what the tests need (redis-server, docker-registry, chromium) when missing.
	@missing=""; for p in redis-server:redis-server docker-registry:docker-registry chromium:chromium; do \
		command -v $${p%%:*} >/dev/null || missing="$$missing $${p#*:}"; done; \
	[ -z "$$missing" ] || { \
		echo "test-deps: installing$$missing with apt-get"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }

test: test-deps kube-bins ui ## Run every test with the race detector, the dashboard's tests and its e2e stories.
	$(GO) test -race -count=1 -timeout 30m ./...
	$(MAKE) web-test e2e

openapi: $(WEB_INSTALLED) ## Regenerate web/openapi.json from the route table and Go types, and the dashboard's API types from it (tests fail when either is stale).
	$(GO) generate ./api
	cd $(WEB) && $(NPM) run -s gen:api

lint: ## go vet, the import rules (internal/importrules) and staticcheck.
	$(GO) vet ./...
	$(GO) test -count=1 ./internal/importrules
	@[ -x $(STATICCHECK) ] || $(GO) install honnef.co/go/tools/cmd/staticcheck@latest
	$(STATICCHECK) ./...

bench: test-deps kube-bins helm-bin ## Run the benchmarks (figures are printed, never asserted; about an hour).
	$(GO) test -run '^$$' -bench . -benchmem -timeout 90m ./...
