package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// States of the Kubernetes cluster as GET /api/v1/system reports them.
const (
	// ClusterReady: the cluster answers; deploys run.
	ClusterReady = "ready"
	// ClusterStarting: the local control plane is starting.
	ClusterStarting = "starting"
	// ClusterWaiting: the local control plane's programs are still being built.
	ClusterWaiting = "waiting"
	// ClusterFailed: the local control plane could not start; Message says why.
	ClusterFailed = "failed"
)

// ClusterStatus is the state of the cluster oneko deploys to. In production it is always
// ready; local mode serves the dashboard before its cluster is up, and deploys asked for
// meanwhile wait in the queue.
type ClusterStatus struct {
	State   string `json:"state"`
	Message string `json:"message,omitempty"`
}

// ErrClusterStarting is wrapped by cluster calls made before the local cluster is ready;
// the api answers 503 with Retry-After.
var ErrClusterStarting = errors.New("the Kubernetes cluster is not ready yet")

// SystemStatus is what GET /api/v1/system answers.
type SystemStatus struct {
	Cluster ClusterStatus `json:"cluster"`
}

// system reports the state of what oneko depends on, for the dashboard.
func (s *Server) system(c *gin.Context) {
	st := ClusterStatus{State: ClusterReady}
	if s.ClusterStatus != nil {
		st = s.ClusterStatus()
	}
	c.JSON(http.StatusOK, SystemStatus{Cluster: st})
}
