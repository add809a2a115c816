package helm_test

import (
	"os"
	"testing"

	"github.com/oneko/oneko/internal/testenv"
)

var kube *testenv.Kube

func TestMain(m *testing.M) {
	os.Exit(testenv.RunWithKube(m, func(k *testenv.Kube) { kube = k }))
}
