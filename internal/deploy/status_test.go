package deploy

import (
	"reflect"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

func TestRefreshable(t *testing.T) {
	rel := []model.Release{{Namespace: "ns", Name: "web"}}
	for _, c := range []struct {
		status   model.DeploymentStatus
		releases []model.Release
		want     bool
	}{
		{model.StatusRunning, rel, true},
		{model.StatusFailed, rel, true},
		{model.StatusUnknown, rel, true},
		{model.StatusPending, rel, false}, // a deploy is in flight: its outcome is its own
		{model.StatusRunning, nil, false}, // nothing to look at
	} {
		v := &model.Version{Deployment: model.Deployment{Status: c.status, Releases: c.releases}}
		if got := Refreshable(v); got != c.want {
			t.Errorf("Refreshable(%s, %d releases) = %v, want %v", c.status, len(c.releases), got, c.want)
		}
	}
}

func TestSeenStatus(t *testing.T) {
	web := model.Release{Namespace: "ns", Name: "web", Revision: 2, Status: "deployed"}
	db := model.Release{Namespace: "ns", Name: "db", Revision: 1, Status: "deployed"}
	found := func(r model.Release, rev int, status string, ready, desired int) SeenRelease {
		return SeenRelease{Recorded: r, Found: true, Ready: ready, Desired: desired,
			Observed: Observed{Namespace: r.Namespace, Name: r.Name, Revision: rev, Status: status, Mine: true}}
	}
	n := func(i int) *int { return &i }
	running := model.Deployment{Status: model.StatusRunning, Releases: []model.Release{web, db}, ReadyPods: 3, DesiredPods: 3, Restarts: 1}
	failed := running
	failed.Status, failed.Message = model.StatusFailed, "upgrade failed: timed out\nWhy: Pod web-1: FailedScheduling: 0/1 nodes are available"
	for _, c := range []struct {
		name     string
		recorded model.Deployment
		seen     StatusSeen
		want     model.Deployment
	}{
		{name: "healthy: pods add up, restarts counted",
			recorded: running,
			seen:     StatusSeen{Releases: []SeenRelease{found(web, 2, "deployed", 2, 2), found(db, 1, "deployed", 1, 1)}, Restarts: n(4)},
			want:     model.Deployment{Status: model.StatusRunning, Releases: []model.Release{web, db}, ReadyPods: 3, DesiredPods: 3, Restarts: 4}},
		{name: "a pod not ready: the warning says why",
			recorded: running,
			seen: StatusSeen{Releases: []SeenRelease{found(web, 2, "deployed", 1, 2), found(db, 1, "deployed", 1, 1)}, Restarts: n(5),
				Warning: "Pod web-1: BackOff: Back-off restarting failed container"},
			want: model.Deployment{Status: model.StatusRunning, Releases: []model.Release{web, db}, ReadyPods: 2, DesiredPods: 3, Restarts: 5,
				Message: "Why: Pod web-1: BackOff: Back-off restarting failed container"}},
		{name: "recovered: the warning goes",
			recorded: model.Deployment{Status: model.StatusRunning, Releases: []model.Release{web}, Message: "Why: Pod web-1: BackOff: x"},
			seen:     StatusSeen{Releases: []SeenRelease{found(web, 2, "deployed", 2, 2)}, Restarts: n(0)},
			want:     model.Deployment{Status: model.StatusRunning, Releases: []model.Release{web}, ReadyPods: 2, DesiredPods: 2}},
		{name: "the cluster cannot be reached: Unknown, the record kept",
			recorded: running,
			seen:     StatusSeen{Unreachable: "dial tcp: connection refused"},
			want:     model.Deployment{Status: model.StatusUnknown, Message: "dial tcp: connection refused", Releases: []model.Release{web, db}, Restarts: 1}},
		{name: "a release gone or taken: Failed, marked missing",
			recorded: running,
			seen: StatusSeen{Releases: []SeenRelease{{Recorded: web}, {Recorded: db, Found: true,
				Observed: Observed{Namespace: "ns", Name: "db", Revision: 7, Status: "deployed", Owner: "version x of project y"}}}, Restarts: n(0)},
			want: model.Deployment{Status: model.StatusFailed,
				Message:  "release ns/web is missing; release ns/db belongs to version x of project y; oneko does not touch it",
				Releases: []model.Release{{Namespace: "ns", Name: "web", Revision: 2, Status: ReleaseMissing}, {Namespace: "ns", Name: "db", Revision: 1, Status: ReleaseMissing}}}},
		{name: "a release not deployed: Failed",
			recorded: running,
			seen:     StatusSeen{Releases: []SeenRelease{found(web, 3, "failed", 0, 2), found(db, 1, "deployed", 1, 1)}, Restarts: n(1)},
			want: model.Deployment{Status: model.StatusFailed, Message: "release ns/web is failed",
				Releases: []model.Release{{Namespace: "ns", Name: "web", Revision: 3, Status: "failed"}, db}, ReadyPods: 1, DesiredPods: 3, Restarts: 1}},
		{name: "a failed deploy stays failed, its warning renewed",
			recorded: failed,
			seen: StatusSeen{Releases: []SeenRelease{found(web, 2, "deployed", 2, 2), found(db, 1, "deployed", 1, 1)}, Restarts: n(1),
				Warning: "Pod web-2: ImagePullBackOff: Back-off pulling image"},
			want: model.Deployment{Status: model.StatusFailed, Message: "upgrade failed: timed out\nWhy: Pod web-2: ImagePullBackOff: Back-off pulling image",
				Releases: []model.Release{web, db}, ReadyPods: 3, DesiredPods: 3, Restarts: 1}},
		{name: "pods unreadable: restarts and message as recorded",
			recorded: failed,
			seen:     StatusSeen{Releases: []SeenRelease{found(web, 2, "deployed", 2, 2), found(db, 1, "deployed", 1, 1)}},
			want:     model.Deployment{Status: model.StatusFailed, Message: failed.Message, Releases: []model.Release{web, db}, ReadyPods: 3, DesiredPods: 3, Restarts: 1}},
		{name: "events unreadable: the message as decided",
			recorded: failed,
			seen:     StatusSeen{Releases: []SeenRelease{found(web, 2, "deployed", 2, 2), found(db, 1, "deployed", 1, 1)}, Restarts: n(2), WarningUnread: true},
			want:     model.Deployment{Status: model.StatusFailed, Message: failed.Message, Releases: []model.Release{web, db}, ReadyPods: 3, DesiredPods: 3, Restarts: 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SeenStatus(c.recorded, c.seen); !reflect.DeepEqual(got, c.want) {
				t.Errorf("SeenStatus =\n%+v\nwant\n%+v", got, c.want)
			}
		})
	}
}

func TestNeedsWarning(t *testing.T) {
	for _, c := range []struct {
		d    model.Deployment
		want bool
	}{
		{model.Deployment{Status: model.StatusRunning, ReadyPods: 2, DesiredPods: 2}, false},
		{model.Deployment{Status: model.StatusRunning, ReadyPods: 1, DesiredPods: 2}, true},
		{model.Deployment{Status: model.StatusFailed, ReadyPods: 2, DesiredPods: 2}, true},
	} {
		if got := NeedsWarning(c.d); got != c.want {
			t.Errorf("NeedsWarning(%+v) = %v, want %v", c.d, got, c.want)
		}
	}
}

func TestStatusChanged(t *testing.T) {
	base := model.Deployment{Status: model.StatusRunning, Releases: []model.Release{{Namespace: "ns", Name: "web", Revision: 1}}, ReadyPods: 1, DesiredPods: 1}
	if StatusChanged(base, base) {
		t.Error("the same status changed")
	}
	for name, mod := range map[string]func(*model.Deployment){
		"status":   func(d *model.Deployment) { d.Status = model.StatusFailed },
		"message":  func(d *model.Deployment) { d.Message = "why" },
		"ready":    func(d *model.Deployment) { d.ReadyPods = 0 },
		"desired":  func(d *model.Deployment) { d.DesiredPods = 2 },
		"restarts": func(d *model.Deployment) { d.Restarts = 1 },
		"releases": func(d *model.Deployment) { d.Releases = []model.Release{{Namespace: "ns", Name: "web", Revision: 2}} },
	} {
		after := base
		mod(&after)
		if !StatusChanged(base, after) {
			t.Errorf("a changed %s is no change", name)
		}
	}
}
