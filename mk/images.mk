# Container images without a Docker engine: a static oneko binary, then tools/images
# (internal/imagebuild, go-containerregistry) assembles the api and worker images.
#
#   make images                      OCI layouts in bin/images/oneko-api and bin/images/oneko-worker
#   make images IMAGE_REPO=reg/oneko push reg/oneko/oneko-api:$(IMAGE_VERSION) and .../oneko-worker
#
# Credentials for the push come from the Docker config (docker login, credential helpers).
# Dockerfile.api and Dockerfile.worker build the same images with Docker.

IMAGE_REPO     ?=
IMAGE_ARCH     ?= $(shell $(GO) env GOARCH)
IMAGE_VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
IMAGE_REVISION ?= $(shell git rev-parse HEAD 2>/dev/null)
IMAGE_CREATED  ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
IMAGE_LDFLAGS  := -s -w -X main.buildVersion=$(IMAGE_VERSION) -X main.buildRevision=$(IMAGE_REVISION)

.PHONY: images

images: ## Build the api and worker OCI images without Docker into bin/images/ (pushed to IMAGE_REPO when set).
	@mkdir -p $(BIN)/images
	CGO_ENABLED=0 GOOS=linux GOARCH=$(IMAGE_ARCH) $(GO) build -trimpath -ldflags='$(IMAGE_LDFLAGS)' -o $(BIN)/images/oneko ./cmd/oneko
	$(GO) run ./tools/images -binary $(BIN)/images/oneko -arch $(IMAGE_ARCH) -out $(BIN)/images \
		-version $(IMAGE_VERSION) -revision '$(IMAGE_REVISION)' -created $(IMAGE_CREATED) $(if $(IMAGE_REPO),-repo $(IMAGE_REPO))
