package helm_test

import (
	"os"
	"testing"

	"github.com/oneko/oneko/internal/testenv"
)

// kube is the cluster of this test binary.
var kube *testenv.Kube

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Kube: true}, func(s *testenv.Shared) error { kube = s.Kube; return nil }))
}
