package charts_test

import (
	"os"
	"testing"

	"github.com/oneko/oneko/internal/testenv"
)

// shared holds the cluster of the tests that need one, started by the first of them (the
// render and schema tests need none) and stopped by TestMain.
var shared *testenv.Shared

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{KubeOnDemand: true}, func(s *testenv.Shared) error { shared = s; return nil }))
}

// cluster returns the local control plane (or KUBECONFIG's cluster), starting it on first
// use; a cluster that cannot start fails the test with the reason.
func cluster(t testing.TB) *testenv.Kube { return shared.Cluster(t) }
