package scale

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
)

// Helm keeps each revision of a release in a Secret labelled owner=helm, name=<release>,
// version=<revision>, status=<status>. An install, upgrade or rollback creates its revision
// pending-*, and writes it once more when it ends (deployed or failed); an uninstall marks the
// last revision uninstalling, then deletes the revisions. oneko's recovery of an interrupted
// operation marks its pending revision failed. helmRecord watches these Secrets in the API
// server's order (resource versions) — a record kept outside every oneko process — and
// audits it: two operations on one release at once show as a revision opened while another
// is open, or as an ended revision written again by an operation that outlived it.
//
// A worker process that dies (SIGKILL, or SIGTERM past its shutdown timeout) leaves the
// revision of its operation open for good; the next operation on the release may then take
// over (oneko waits out the dead worker's lease, then recovers or uninstalls the release).
// So an open revision is excused when a worker died after it was opened (up to deathSlack
// before the death: the watch delivers a write a moment after it happened) and before the
// next operation touched it. The excuses are counted and reported.

// helmEvent is one change of a release revision's Secret.
type helmEvent struct {
	at        time.Time // when the watch delivered it
	kind      watch.EventType
	namespace string
	release   string
	revision  int
	status    string
}

// helmRecord records every change of Helm's release Secrets in one namespace.
type helmRecord struct {
	mu     sync.Mutex
	events []helmEvent
	deaths []time.Time
	errs   []error
	cancel context.CancelFunc
	done   chan struct{}
}

// recordHelm starts recording the release Secrets of namespace ns (which may not exist yet).
func recordHelm(t testing.TB, kube kubernetes.Interface, ns string) *helmRecord {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &helmRecord{cancel: cancel, done: make(chan struct{})}
	secrets := kube.CoreV1().Secrets(ns)
	list, err := secrets.List(ctx, metav1.ListOptions{LabelSelector: "owner=helm"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range list.Items {
		r.add(watch.Added, &list.Items[i])
	}
	go func() {
		defer close(r.done)
		rv := list.ResourceVersion
		for ctx.Err() == nil {
			w, err := secrets.Watch(ctx, metav1.ListOptions{LabelSelector: "owner=helm", ResourceVersion: rv, AllowWatchBookmarks: true})
			if err != nil {
				if ctx.Err() == nil {
					r.fail(fmt.Errorf("watch Helm's Secrets: %w", err))
				}
				return
			}
			for ev := range w.ResultChan() {
				if ev.Type == watch.Error {
					r.fail(fmt.Errorf("watch of Helm's Secrets broke: %v (events may be missing)", ev.Object))
					w.Stop()
					return
				}
				s, ok := ev.Object.(*corev1.Secret)
				if !ok {
					continue
				}
				rv = s.ResourceVersion
				if ev.Type != watch.Bookmark {
					r.add(ev.Type, s)
				}
			}
		}
	}()
	t.Cleanup(r.stop)
	return r
}

func (r *helmRecord) add(kind watch.EventType, s *corev1.Secret) {
	rev, _ := strconv.Atoi(s.Labels["version"])
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, helmEvent{at: time.Now(), kind: kind, namespace: s.Namespace, release: s.Labels["name"], revision: rev, status: s.Labels["status"]})
}

// deathSlack is how long before a worker's death a revision it may have opened can have been
// delivered by the watch.
const deathSlack = time.Second

// died records that a worker process ended at when.
func (r *helmRecord) died(when time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deaths = append(r.deaths, when)
}

// excused reports whether a worker died after a revision opened at opened and before at.
func (r *helmRecord) excused(opened, at time.Time) bool {
	for _, d := range r.deaths {
		if !opened.After(d.Add(deathSlack)) && !at.Before(d) {
			return true
		}
	}
	return false
}

func (r *helmRecord) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

// stop ends the recording.
func (r *helmRecord) stop() {
	r.cancel()
	<-r.done
}

// inFlight reports whether a revision in status is an operation that has not ended.
func inFlight(status string) bool {
	return strings.HasPrefix(status, "pending-") || status == "uninstalling"
}

// audit checks the record: it returns the number of operations seen (revisions opened), how
// many open revisions of a dead worker were taken over, and a description of every overlap
// and of every break in the record itself.
func (r *helmRecord) audit() (ops, takenOver int, problems []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, err := range r.errs {
		problems = append(problems, err.Error())
	}
	type revState struct {
		status string
		opened time.Time
	}
	releases := map[string]map[int]*revState{}
	for i, ev := range r.events {
		key := ev.namespace + "/" + ev.release
		revs := releases[key]
		if revs == nil {
			revs = map[int]*revState{}
			releases[key] = revs
		}
		if ev.kind == watch.Deleted {
			delete(revs, ev.revision)
			continue
		}
		prev := revs[ev.revision]
		opening := inFlight(ev.status) && (prev == nil || !inFlight(prev.status))
		if opening {
			ops++
			for rev, st := range revs {
				if rev == ev.revision || !inFlight(st.status) {
					continue
				}
				if r.excused(st.opened, ev.at) {
					takenOver++
					continue
				}
				problems = append(problems, fmt.Sprintf("event %d: %s revision %d became %s while revision %d was still %s: two operations at once",
					i, key, ev.revision, ev.status, rev, st.status))
			}
		}
		if prev != nil && !inFlight(prev.status) && prev.status != ev.status && !allowedAfterEnd(prev.status, ev.status) {
			problems = append(problems, fmt.Sprintf("event %d: %s revision %d went from %s to %s: written by an operation after it had ended",
				i, key, ev.revision, prev.status, ev.status))
		}
		takeOver := prev != nil && inFlight(prev.status) && inFlight(ev.status) && prev.status != ev.status
		if takeOver {
			ops++
			if r.excused(prev.opened, ev.at) {
				takenOver++
			} else {
				problems = append(problems, fmt.Sprintf("event %d: %s revision %d went from %s to %s: two operations on one revision",
					i, key, ev.revision, prev.status, ev.status))
			}
		}
		opened := ev.at
		if prev != nil && !opening && !takeOver {
			opened = prev.opened
		}
		revs[ev.revision] = &revState{status: ev.status, opened: opened}
	}
	return ops, takenOver, problems
}

// allowedAfterEnd lists the changes Helm makes to a revision whose operation ended: a newer
// upgrade or rollback supersedes the one it replaces, and an uninstall starts from the last one.
func allowedAfterEnd(from, to string) bool {
	switch {
	case (from == "deployed" || from == "failed") && to == "superseded":
		return true
	case to == "uninstalling":
		return true
	}
	return false
}

// pendingNow lists the release revisions in the namespace that are pending right now.
func pendingNow(ctx context.Context, kube kubernetes.Interface, ns string) ([]string, error) {
	list, err := kube.CoreV1().Secrets(ns).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm"})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range list.Items {
		if inFlight(s.Labels["status"]) {
			out = append(out, fmt.Sprintf("%s revision %s %s", s.Labels["name"], s.Labels["version"], s.Labels["status"]))
		}
	}
	return out, nil
}

// waitQuiet waits until the recorder has seen nothing new for quiet, so the audit reads the
// last events too.
func (r *helmRecord) waitQuiet(quiet time.Duration) {
	n := -1
	for {
		r.mu.Lock()
		m := len(r.events)
		r.mu.Unlock()
		if m == n {
			return
		}
		n = m
		time.Sleep(quiet)
	}
}
