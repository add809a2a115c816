package testenv

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// Needs says which shared components a test binary uses.
type Needs struct {
	// Mongo: the embedded FerretDB (or ONEKO_TEST_MONGO_URI's MongoDB), for Mongo.Store.
	Mongo bool
	// MongoServed: Mongo served through `oneko store`'s front (see StartServedMongo).
	MongoServed bool
	// Redis: one redis-server process.
	Redis bool
	// Kube: the cluster (a local control plane, or KUBECONFIG's), started before the tests.
	Kube bool
	// KubeOnDemand: the cluster, started by the first Shared.Cluster call instead, for
	// binaries where most tests need none.
	KubeOnDemand bool
}

// Shared are the components of one test binary, started once by Main.
type Shared struct {
	// Mongo is set when Needs.Mongo was.
	Mongo *Mongo
	// Redis is set when Needs.Redis was.
	Redis *Redis
	// Kube is set when Needs.Kube was; with Needs.KubeOnDemand, call Cluster.
	Kube *Kube

	kubeOnce sync.Once
	kubeErr  error
	stops    []func()
}

// OnStop registers f to run when the tests are done, before the components stop (last
// registered, first run): for what a set-up function starts besides them.
func (s *Shared) OnStop(f func()) { s.stops = append(s.stops, f) }

// Cluster returns the cluster, starting it on the first call when Needs.KubeOnDemand; a cluster
// that cannot start fails tb with the reason.
func (s *Shared) Cluster(tb testing.TB) *Kube {
	tb.Helper()
	s.kubeOnce.Do(func() {
		if s.Kube != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		s.Kube, s.kubeErr = StartKube(ctx)
	})
	if s.kubeErr != nil {
		tb.Fatalf("cluster: %v", s.kubeErr)
	}
	if s.Kube == nil {
		tb.Fatal("cluster: the binary's TestMain asked for neither Kube nor KubeOnDemand")
	}
	return s.Kube
}

// Main is the body of a TestMain: it starts the components need names, calls setup with them
// (which keeps them for the tests and may start more, see OnStop; nil: nothing to do), runs the
// tests and stops everything. It returns the exit code for os.Exit; a component that cannot
// start fails the whole binary with the reason.
//
//	var shared *testenv.Shared
//
//	func TestMain(m *testing.M) {
//		os.Exit(testenv.Main(m, testenv.Needs{Mongo: true, Redis: true}, func(s *testenv.Shared) error { shared = s; return nil }))
//	}
func Main(m *testing.M, need Needs, setup func(*Shared) error) int {
	s := &Shared{}
	fail := func(err error) int {
		s.stop()
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if need.Mongo || need.MongoServed {
		start := StartMongo
		if need.MongoServed {
			start = StartServedMongo
		}
		mg, err := start(ctx)
		if err != nil {
			return fail(err)
		}
		s.Mongo = mg
	}
	if need.Redis {
		rs, err := StartRedis(ctx)
		if err != nil {
			return fail(err)
		}
		s.Redis = rs
	}
	if need.Kube {
		k, err := StartKube(ctx)
		if err != nil {
			return fail(err)
		}
		s.Kube = k
	}
	if setup != nil {
		if err := setup(s); err != nil {
			return fail(err)
		}
	}
	code := m.Run()
	if err := s.stop(); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// stop stops what Main and the set-up started, in reverse order.
func (s *Shared) stop() error {
	for i := len(s.stops) - 1; i >= 0; i-- {
		s.stops[i]()
	}
	s.stops = nil
	var err error
	if s.Kube != nil {
		err = s.Kube.Stop()
		s.Kube = nil
	}
	if s.Redis != nil {
		s.Redis.Stop()
		s.Redis = nil
	}
	if s.Mongo != nil {
		s.Mongo.Stop()
		s.Mongo = nil
	}
	return err
}
