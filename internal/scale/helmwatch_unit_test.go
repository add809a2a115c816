package scale

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/watch"
)

// TestHelmAudit: the audit of Helm's release Secrets finds two operations on one release at
// once, an operation writing a revision after it ended, and a revision taken over while its
// worker lived; it lets pass Helm's own sequences and a take-over after the worker's death.
func TestHelmAudit(t *testing.T) {
	t0 := time.Now()
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ev := func(s int, kind watch.EventType, rev int, status string) helmEvent {
		return helmEvent{at: at(s), kind: kind, namespace: "ns", release: "r", revision: rev, status: status}
	}
	add, mod, del := watch.Added, watch.Modified, watch.Deleted
	for _, tc := range []struct {
		name    string
		events  []helmEvent
		deaths  []time.Time
		ops     int
		problem string // "" for none
	}{
		{"install, upgrade, rollback, uninstall", []helmEvent{
			ev(1, add, 1, "pending-install"), ev(2, mod, 1, "deployed"),
			ev(3, add, 2, "pending-upgrade"), ev(4, mod, 1, "superseded"), ev(4, mod, 2, "deployed"),
			ev(5, add, 3, "pending-rollback"), ev(6, mod, 2, "superseded"), ev(6, mod, 3, "deployed"),
			ev(7, mod, 3, "uninstalling"), ev(8, del, 1, "superseded"), ev(8, del, 2, "superseded"), ev(8, del, 3, "uninstalling"),
			ev(9, add, 1, "pending-install"), ev(10, mod, 1, "deployed"),
		}, nil, 5, ""},
		{"an upgrade while another runs", []helmEvent{
			ev(1, add, 1, "pending-install"), ev(2, mod, 1, "deployed"),
			ev(3, add, 2, "pending-upgrade"), ev(4, add, 3, "pending-upgrade"),
		}, nil, 3, "two operations at once"},
		{"a stale operation writes its revision after the recovery ended it", []helmEvent{
			ev(1, add, 1, "pending-install"), ev(2, mod, 1, "deployed"),
			ev(3, add, 2, "pending-upgrade"), ev(4, mod, 2, "failed"),
			ev(5, add, 3, "pending-rollback"), ev(6, mod, 3, "deployed"), ev(7, mod, 2, "deployed"),
		}, nil, 3, "after it had ended"},
		{"an uninstall of a revision whose install still runs", []helmEvent{
			ev(1, add, 1, "pending-install"), ev(3, mod, 1, "uninstalling"),
		}, nil, 2, "two operations on one revision"},
		{"an uninstall of a revision whose worker died", []helmEvent{
			ev(1, add, 1, "pending-install"), ev(40, mod, 1, "uninstalling"), ev(41, del, 1, "uninstalling"),
		}, []time.Time{at(2)}, 2, ""},
		{"a recovery after the worker died", []helmEvent{
			ev(1, add, 1, "pending-install"), ev(2, mod, 1, "deployed"),
			ev(3, add, 2, "pending-upgrade"), ev(40, mod, 2, "failed"), ev(41, add, 3, "pending-rollback"), ev(42, mod, 3, "deployed"),
		}, []time.Time{at(5)}, 3, ""},
		{"a worker died before the revision was opened", []helmEvent{
			ev(10, add, 1, "pending-install"), ev(12, mod, 1, "uninstalling"),
		}, []time.Time{at(5)}, 2, "two operations on one revision"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &helmRecord{events: tc.events, deaths: tc.deaths}
			ops, _, problems := r.audit()
			got := strings.Join(problems, "\n")
			if ops != tc.ops || (tc.problem == "") != (got == "") || !strings.Contains(got, tc.problem) {
				t.Fatalf("audit = %d operations, problems %q; want %d and one saying %q", ops, got, tc.ops, tc.problem)
			}
		})
	}
}
