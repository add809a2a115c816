package worker

import (
	"errors"

	"github.com/oneko/oneko/internal/diagnose"
)

// deployer holds the parts of the status refresh (status.go), until the refresh gets a
// handler type of its own like the other task families.
type deployer struct {
	w      *Worker
	helm   Releases
	pods   *diagnose.Reader
	leases *leaser
}

// errNoCluster is returned by the status refresh of a worker built without a cluster.
var errNoCluster = errors.New("this worker has no Kubernetes cluster configured")
