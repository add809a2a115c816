package scale

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/testenv"
)

// shared are the components of this test binary: the oneko binary, one redis-server, one
// `oneko store` process and the cluster. None is started with -short.
var shared struct {
	bin   string
	redis *testenv.Redis
	store *proc
	mongo string // mongodb:// URI of the store process
	kube  *testenv.Kube
}

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // every test and benchmark here skips with -short
	}
	os.Exit(testenv.Main(m, testenv.Needs{Redis: true, Kube: true}, setup))
}

// setup builds the binary and starts `oneko store` next to testenv's Redis and cluster.
func setup(s *testenv.Shared) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	shared.redis, shared.kube = s.Redis, s.Kube
	dir, err := os.MkdirTemp("", "oneko-scale-")
	if err != nil {
		return fmt.Errorf("scale: %w", err)
	}
	s.OnStop(func() { _ = os.RemoveAll(dir) })
	if shared.bin, err = binary(ctx, dir); err != nil {
		return fmt.Errorf("scale: %w", err)
	}
	if shared.store, shared.mongo, err = startStore(ctx, dir); err != nil {
		return fmt.Errorf("scale: %w", err)
	}
	s.OnStop(shared.store.kill)
	return nil
}

// binary returns the oneko binary to run: ONEKO_BIN when set (make build's bin/oneko), else
// one built from this module into dir.
func binary(ctx context.Context, dir string) (string, error) {
	if b := os.Getenv("ONEKO_BIN"); b != "" {
		return filepath.Abs(b)
	}
	mod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module: %w", err)
	}
	bin := filepath.Join(dir, "oneko")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/oneko")
	build.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/oneko: %w\n%s", err, out)
	}
	return bin, nil
}

// startStore starts `oneko store` on a free port with its data under dir.
func startStore(ctx context.Context, dir string) (*proc, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	p, err := startProc("store", dir, []string{"store", "--listen", addr, "--dir", filepath.Join(dir, "ferretdb")}, nil)
	if err != nil {
		return nil, "", err
	}
	deadline := time.Now().Add(30 * time.Second)
	for !p.logContains("oneko store: serving") {
		if p.exited() || time.Now().After(deadline) || ctx.Err() != nil {
			p.kill()
			return nil, "", fmt.Errorf("oneko store did not start:\n%s", p.tail(4000))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p, "mongodb://" + addr + "/", nil
}

// needPool skips t with -short and says why.
func needPool(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts 2 api and 3 worker processes of the real binary, a store, Redis and the local cluster, and waits out asynq's 60s recovery of a killed worker's task (several minutes)")
	}
}
