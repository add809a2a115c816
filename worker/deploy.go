package worker

import "github.com/hibiken/asynq"

// deployer runs deploy and stop tasks. (Being written: see the issue of the worker.)
type deployer struct{}

func newDeployer(*Worker) (*deployer, error) { return &deployer{}, nil }

// registerDeploy adds the deploy and stop handlers to mux.
func (w *Worker) registerDeploy(*asynq.ServeMux) {}
