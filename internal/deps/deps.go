//go:build tools

// Package deps pins modules that packages of this repository are about to use, so that
// "go mod tidy" keeps them while the code that imports them is being written.
package deps

import (
	_ "github.com/FerretDB/FerretDB/ferretdb"
	_ "github.com/alicebob/miniredis/v2"
	_ "github.com/casbin/casbin/v2"
	_ "github.com/gin-gonic/gin"
	_ "github.com/google/go-containerregistry/pkg/registry"
	_ "github.com/google/go-containerregistry/pkg/v1/remote"
	_ "github.com/hibiken/asynq"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "go.mongodb.org/mongo-driver/v2/mongo"
	_ "golang.org/x/crypto/argon2"
	_ "helm.sh/helm/v3/pkg/action"
	_ "k8s.io/client-go/kubernetes"
)
