package helm_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/helm"
)

// nowhere is a nodeSelector that matches no node: the pods are never scheduled.
func nowhere(ns string) map[string]any {
	return map[string]any{"oneko.test/pool": "nowhere-" + ns}
}

// TestUpgradeInstallWaitsForReadiness: a waiting install returns once every replica is
// available; an upgrade, then an install, whose pods can never be scheduled fail after the
// timeout with an error naming the Deployment, and their revisions are recorded failed —
// nothing is left pending, and a corrected upgrade of the failed install deploys.
func TestUpgradeInstallWaitsForReadiness(t *testing.T) {
	ctx := t.Context()
	c := newClient(t)
	ns := kube.Namespace(t, "helmwait")
	ch := loadChart(t)

	rel, err := c.UpgradeInstall(ctx, helm.Release{Name: "web", Namespace: ns, Chart: ch,
		Values: map[string]any{"replicas": 2}}, true, 2*time.Minute)
	if err != nil {
		t.Fatalf("install: %v\n%s", err, helm.LogTail(err))
	}
	if rel.Status != helm.StatusDeployed {
		t.Fatalf("after install: status %s", rel.Status)
	}
	if ready, desired, err := c.PodCounts(ctx, rel); err != nil || ready != 2 || desired != 2 {
		t.Fatalf("pods after a waiting install = %d/%d, %v; want 2/2", ready, desired, err)
	}

	stuck := func(op, name string, rev int) {
		t.Helper()
		rel, err := c.UpgradeInstall(ctx, helm.Release{Name: name, Namespace: ns, Chart: ch,
			Values: map[string]any{"replicas": 2, "nodeSelector": nowhere(ns)}}, true, 3*time.Second)
		if err == nil {
			t.Fatalf("%s of pods that cannot be scheduled succeeded", op)
		}
		want := "deployment " + ns + "/" + name + ": "
		var oe *helm.OpError
		if !errors.As(err, &oe) || oe.Op != op || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s error = %v, want an %s OpError naming %q", op, err, op, want)
		}
		if helm.Unreachable(err) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("resources not ready counted as an unreachable cluster: %v", err)
		}
		if rel == nil || rel.Status != helm.StatusFailed {
			t.Fatalf("%s returned release %v, want it failed", op, rel)
		}
		st, err := c.Status(ctx, ns, name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Revision != rev || st.Status != helm.StatusFailed || !strings.Contains(st.Description, want) {
			t.Fatalf("stored release = revision %d %s %q; want revision %d failed naming %q", st.Revision, st.Status, st.Description, rev, want)
		}
		if got, err := c.RecoverPending(ctx, ns, name, time.Minute); err != nil || got != helm.NothingPending {
			t.Fatalf("recover after a failed wait = %q, %v; want nothing pending", got, err)
		}
	}
	stuck("upgrade", "web", 2)
	stuck("install", "stuck", 1)

	// The failed install never deployed, so Helm upgrades it from its failed revision: the
	// nodeSelector is removed and the pods are scheduled. (Upgrading "web" back to revision 1's
	// values would change nothing: Helm diffs against the last deployed revision.)
	rel, err = c.UpgradeInstall(ctx, helm.Release{Name: "stuck", Namespace: ns, Chart: ch,
		Values: map[string]any{"replicas": 2}}, true, 2*time.Minute)
	if err != nil || rel.Revision != 2 || rel.Status != helm.StatusDeployed {
		t.Fatalf("corrected upgrade = %v, %v; want revision 2 deployed", rel, err)
	}
	if ready, desired, err := c.PodCounts(ctx, rel); err != nil || ready != 2 || desired != 2 {
		t.Fatalf("pods after the corrected upgrade = %d/%d, %v; want 2/2", ready, desired, err)
	}
}

// TestUpgradeInstallWaitEndsWithContext: the wait ends when ctx does, not at its timeout.
func TestUpgradeInstallWaitEndsWithContext(t *testing.T) {
	c := newClient(t)
	ns := kube.Namespace(t, "helmwaitctx")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	_, err := c.UpgradeInstall(ctx, helm.Release{Name: "web", Namespace: ns, Chart: loadChart(t),
		Values: map[string]any{"nodeSelector": nowhere(ns)}}, true, 10*time.Minute)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("install with an ending context = %v, want the context's error", err)
	}
}

// TestUpgradeInstallFailsEarlyWhenTheRolloutCannotSucceed: a Deployment whose pods can never be
// scheduled and whose progress deadline is one second fails the install with the deadline as
// the reason, long before the wait's timeout of ten minutes ends, and the revision is recorded
// failed with that reason.
func TestUpgradeInstallFailsEarlyWhenTheRolloutCannotSucceed(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	c := newClient(t)
	ns := kube.Namespace(t, "helmearly")
	_, err := c.UpgradeInstall(ctx, helm.Release{Name: "web", Namespace: ns, Chart: loadChart(t),
		Values: map[string]any{"nodeSelector": nowhere(ns), "progressDeadlineSeconds": 1}}, true, 10*time.Minute)
	want := "deployment " + ns + "/web: failed: Progress deadline exceeded"
	if err == nil || !strings.Contains(err.Error(), want) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("install = %v, want a failure saying %q", err, want)
	}
	st, err := c.Status(t.Context(), ns, "web")
	if err != nil || st.Status != helm.StatusFailed || !strings.Contains(st.Description, "Progress deadline exceeded") {
		t.Fatalf("stored release = %+v, %v; want it failed with the reason", st, err)
	}
}
