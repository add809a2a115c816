package charts_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/testenv"
)

// shared is the cluster of the tests that need one, started by the first of them (the
// render and schema tests need none) and stopped by TestMain.
var shared struct {
	once sync.Once
	kube *testenv.Kube
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.kube != nil {
		if err := shared.kube.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "stop cluster: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// cluster returns the local control plane (or KUBECONFIG's cluster), starting it on first
// use; a cluster that cannot start fails the test with the reason.
func cluster(t testing.TB) *testenv.Kube {
	t.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		shared.kube, shared.err = testenv.StartKube(ctx)
	})
	if shared.err != nil {
		t.Fatalf("cluster: %v", shared.err)
	}
	return shared.kube
}
