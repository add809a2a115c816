package app

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/testenv"
)

// The components of this test binary: the cluster, Redis and the store.
var (
	kubeEnv *testenv.Kube
	shared  *testenv.Shared
)

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Kube: true, Mongo: true, Redis: true}, func(s *testenv.Shared) error {
		shared, kubeEnv = s, s.Kube
		return nil
	}))
}

// recorder keeps every state the gate reports.
type recorder struct {
	mu     sync.Mutex
	states []string
}

func (r *recorder) note(st api.ClusterStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.states = append(r.states, st.State)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.states...)
}

// TestClusterGateWaitsForPrograms: while the local cluster's programs are missing the api's
// namespace calls answer ErrClusterStarting and the demo's namespace is remembered; once
// the cluster starts, that namespace is created, the worker's Ready opens and calls pass.
func TestClusterGateWaitsForPrograms(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rec := &recorder{}
	g := newClusterGate(slog.New(slog.DiscardHandler), rec.note)
	if st := g.Status(); st.State != api.ClusterStarting {
		t.Fatalf("initial state %q, want %q", st.State, api.ClusterStarting)
	}
	if err := g.EnsureNamespace(ctx, "on-gate-early", nil); !errors.Is(err, api.ErrClusterStarting) {
		t.Fatalf("EnsureNamespace before the cluster is ready: %v, want ErrClusterStarting", err)
	}
	if _, err := (gatedDiagnostics{g}).Pods(ctx, "v1"); !errors.Is(err, api.ErrClusterStarting) {
		t.Fatalf("diagnostics before the cluster is ready: %v, want ErrClusterStarting", err)
	}
	if _, err := (gatedDiagnostics{g}).Diff(ctx, "v1", nil); !errors.Is(err, api.ErrClusterStarting) {
		t.Fatalf("diff before the cluster is ready: %v, want ErrClusterStarting", err)
	}
	ns := "on-gate-" + time.Now().Format("150405")
	if err := g.ensureLater(ctx, ns); err != nil {
		t.Fatalf("ensureLater before ready: %v", err)
	}
	errMissing := errors.New("programs missing")
	tries := 0
	err := g.startWhenPresent(ctx, 10*time.Millisecond, errMissing, "gate-test", func(context.Context) (*rest.Config, error) {
		tries++
		if tries < 3 {
			return nil, errMissing
		}
		return kubeEnv.RESTConfig(), nil
	})
	if err != nil {
		t.Fatalf("startWhenPresent: %v", err)
	}
	select {
	case <-g.Ready():
	default:
		t.Fatal("Ready is not closed after the cluster started")
	}
	if got := rec.all(); len(got) != 2 || got[0] != api.ClusterWaiting || got[1] != api.ClusterReady {
		t.Fatalf("states reported %v, want [waiting ready]", got)
	}
	cs, err := kubernetes.NewForConfig(kubeEnv.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); err != nil {
		t.Fatalf("the namespace asked for while starting was not created: %v", err)
	}
	if pods, err := (gatedDiagnostics{g}).Pods(ctx, "no-such-version"); err != nil || len(pods) != 0 {
		t.Fatalf("diagnostics once ready: %v, %d pods; want none and no error", err, len(pods))
	}
	// The diff route needs the gate to compare releases (it answered 503 in every mode without).
	var d api.Diagnostics = gatedDiagnostics{g}
	differ, ok := d.(api.Differ)
	if !ok {
		t.Fatal("the gated diagnostics cannot diff: the diff route would answer 503")
	}
	if diffs, err := differ.Diff(ctx, "no-such-version", []diagnose.Planned{{Name: "r1", Namespace: ns, Values: "a: 1\n"}}); err != nil || len(diffs) != 1 || diffs[0].Change != "new" {
		t.Fatalf("diff once ready: %v, %+v; want release r1 new", err, diffs)
	}
	if err := g.EnsureNamespace(ctx, ns+"-b", nil); err != nil {
		t.Fatalf("EnsureNamespace once ready: %v", err)
	}
	if err := g.DeleteNamespace(ctx, ns+"-b"); err != nil {
		t.Fatalf("DeleteNamespace once ready: %v", err)
	}
}

// TestClusterGateFailure: a cluster that cannot start leaves the gate closed and says why.
func TestClusterGateFailure(t *testing.T) {
	g := newClusterGate(slog.New(slog.DiscardHandler), nil)
	boom := errors.New("etcd exited: port in use")
	err := g.startWhenPresent(context.Background(), time.Millisecond, errors.New("missing"), "gate-test", func(context.Context) (*rest.Config, error) {
		return nil, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("startWhenPresent: %v, want %v", err, boom)
	}
	if st := g.Status(); st.State != api.ClusterFailed || st.Message != boom.Error() {
		t.Fatalf("status %+v, want failed with the cause", st)
	}
	select {
	case <-g.Ready():
		t.Fatal("Ready closed although the cluster failed")
	default:
	}
	if err := g.EnsureNamespace(context.Background(), "on-x", nil); !errors.Is(err, api.ErrClusterStarting) {
		t.Fatalf("EnsureNamespace after a failure: %v", err)
	}
}
