# Local Kubernetes control plane: build its programs once into a cache outside the
# repository, and run a cluster in the foreground for local mode.
#
#   make kube-bins   build kube-apiserver, kube-controller-manager, kube-scheduler, etcd
#                    and kwok from tools/kube into $(KUBE_BIN_DIR) (skipped when present)
#   make cluster     start a local cluster until Ctrl-C; kubeconfig in $(ONEKO_DATA_DIR)/kubeconfig
#   make helm-bin    build the helm command-line program from tools/kube into $(KUBE_BIN_DIR),
#                    for the worker benchmarks' baseline only (make test does not need it)

# The release pinned in tools/kube/go.mod; internal/localkube.KubeVersion must match, as
# it names the same cache folder. Change all three together (and the etcd and kwok
# versions there with it: the folder is keyed by the Kubernetes release only).
KUBE_VERSION  := v1.37.2
KUBE_BIN_DIR  ?= $${ONEKO_KUBE_BIN_DIR:-$${XDG_CACHE_HOME:-$$HOME/.cache}/oneko/kube-$(KUBE_VERSION)}
KUBE_PROGRAMS := kube-apiserver kube-controller-manager kube-scheduler etcd kwok
KUBE_VERSION_PKG := k8s.io/component-base/version
# Stamp the release into the Kubernetes programs, as the release build does: Helm and
# clients read it from /version (a plain "go build" reports v0.0.0-master).
KUBE_LDFLAGS  := -s -X $(KUBE_VERSION_PKG).gitVersion=$(KUBE_VERSION) \
	-X $(KUBE_VERSION_PKG).gitMajor=$(word 1,$(subst ., ,$(KUBE_VERSION:v%=%))) \
	-X $(KUBE_VERSION_PKG).gitMinor=$(word 2,$(subst ., ,$(KUBE_VERSION:v%=%))) \
	-X $(KUBE_VERSION_PKG).gitTreeState=clean
KUBE_GOBUILD  := GOWORK=off CGO_ENABLED=0 go build -trimpath -buildvcs=false

.PHONY: kube-bins kube-bins-present cluster helm-bin

# Exits 0 when every program is in the cache (make run asks before it builds them).
kube-bins-present:
	@dir="$(KUBE_BIN_DIR)"; for p in $(KUBE_PROGRAMS); do [ -x "$$dir/$$p" ] || exit 1; done

kube-bins: ## Build kube-apiserver, controller-manager, scheduler, etcd and kwok once into a cache outside the repo.
	@dir="$(KUBE_BIN_DIR)"; missing=""; \
	for p in $(KUBE_PROGRAMS); do [ -x "$$dir/$$p" ] || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "kube-bins: all present in $$dir"; exit 0; fi; \
	echo "kube-bins: building$$missing into $$dir"; \
	echo "kube-bins: the first build takes about 7-10 minutes on 2 cores (more on a busy machine)"; \
	mkdir -p "$$dir" && tmp="$$(mktemp -d "$$dir/.build.XXXXXX")" && \
	trap 'rm -rf "$$tmp"' EXIT && cd tools/kube && \
	for p in $$missing; do \
		case $$p in \
		etcd) pkg=go.etcd.io/etcd/server/v3 ;; \
		kwok) pkg=sigs.k8s.io/kwok/cmd/kwok ;; \
		*) pkg=k8s.io/kubernetes/cmd/$$p ;; \
		esac; \
		start=$$(date +%s); echo "kube-bins: go build $$pkg"; \
		$(KUBE_GOBUILD) -ldflags='$(KUBE_LDFLAGS)' -o "$$tmp/$$p" "$$pkg" || exit 1; \
		mv "$$tmp/$$p" "$$dir/$$p" || exit 1; \
		echo "kube-bins: $$p done in $$(( $$(date +%s) - start ))s"; \
	done; \
	echo "kube-bins: done, binaries in $$dir"

cluster: kube-bins ## Run a local Kubernetes control plane until Ctrl-C; kubeconfig in ONEKO_DATA_DIR/kubeconfig.
	@ONEKO_KUBE_BIN_DIR="$(KUBE_BIN_DIR)" go run ./cmd/oneko-cluster \
		-kubeconfig "$${ONEKO_DATA_DIR:-./.oneko}/kubeconfig"

# The helm CLI at the Helm release pinned in tools/kube/go.mod (the same as the root
# module's Helm SDK). Only the worker benchmarks run it, as the baseline O-Neko's
# "helm upgrade --install" loop is measured against; nothing else depends on it.
# (Recursive "=": the go list runs only when helm-bin is built.)
HELM_VERSION = $(shell cd tools/kube && GOWORK=off go list -m -f '{{.Version}}' helm.sh/helm/v3 2>/dev/null)

helm-bin: ## Build the helm CLI (benchmark baseline only) into the kube binaries' cache dir.
	@dir="$(KUBE_BIN_DIR)"; \
	if [ -x "$$dir/helm" ]; then echo "helm-bin: present in $$dir"; exit 0; fi; \
	echo "helm-bin: building helm $(HELM_VERSION) into $$dir (a few minutes on 2 cores)"; \
	mkdir -p "$$dir" && tmp="$$(mktemp -d "$$dir/.build.XXXXXX")" && \
	trap 'rm -rf "$$tmp"' EXIT && cd tools/kube && start=$$(date +%s) && \
	$(KUBE_GOBUILD) -ldflags='-s -X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION)' \
		-o "$$tmp/helm" helm.sh/helm/v3/cmd/helm && \
	mv "$$tmp/helm" "$$dir/helm" && \
	echo "helm-bin: done in $$(( $$(date +%s) - start ))s, $$dir/helm"
