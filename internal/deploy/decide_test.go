package deploy

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/model"
)

func TestDeploySteps(t *testing.T) {
	plan := &Plan{Releases: []Release{{Name: "web", Namespace: "ns"}, {Name: "db", Namespace: "ns"}}}
	mine := func(name, status string) Observed {
		return Observed{Namespace: "ns", Name: name, Revision: 3, Status: status, Mine: true}
	}
	up := func(name string, i int) Step { return Step{Kind: Upgrade, Namespace: "ns", Name: name, Planned: i} }
	for _, c := range []struct {
		name     string
		current  []Observed
		existing []model.Release
		want     []Step
		wantErr  string
	}{
		{name: "nothing installed yet: install both", want: []Step{up("web", 0), up("db", 1)}},
		{name: "both deployed: upgrade both", current: []Observed{mine("web", "deployed"), mine("db", "failed")},
			want: []Step{up("web", 0), up("db", 1)}},
		{name: "a release left pending is recovered first", current: []Observed{mine("web", "pending-upgrade"), mine("db", "pending-install")},
			want: []Step{{Kind: Recover, Namespace: "ns", Name: "web", Planned: 0}, up("web", 0), {Kind: Recover, Namespace: "ns", Name: "db", Planned: 1}, up("db", 1)}},
		{name: "a release that left the plan is uninstalled last",
			current:  []Observed{mine("web", "deployed")},
			existing: []model.Release{{Namespace: "ns", Name: "web"}, {Namespace: "ns", Name: "old"}, {Namespace: "ns", Name: "old"}},
			want:     []Step{up("web", 0), up("db", 1), {Kind: Uninstall, Namespace: "ns", Name: "old", Planned: -1}}},
		{name: "a foreign release stops the deploy there and uninstalls nothing",
			current:  []Observed{mine("web", "deployed"), {Namespace: "ns", Name: "db", Status: "deployed", Owner: "version x of project y"}},
			existing: []model.Release{{Namespace: "ns", Name: "old"}},
			want:     []Step{up("web", 0)}, wantErr: "release ns/db belongs to version x of project y"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cur := map[string]Observed{}
			for _, o := range c.current {
				cur[o.Key()] = o
			}
			got, err := DeploySteps(plan, cur, c.existing)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("steps = %+v\nwant    %+v", got, c.want)
			}
			var oe *OwnerError
			switch {
			case c.wantErr == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case c.wantErr != "" && (!errors.As(err, &oe) || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("error %v, want an *OwnerError saying %q", err, c.wantErr)
			}
		})
	}
}

func TestOnFailure(t *testing.T) {
	for _, c := range []struct {
		transient, last bool
		want            Outcome
	}{
		{true, false, Retry},
		{true, true, RecordFailed},
		{false, false, RecordFailed},
		{false, true, RecordFailed},
	} {
		if got := OnFailure(c.transient, c.last); got != c.want {
			t.Errorf("OnFailure(transient %v, last %v) = %s, want %s", c.transient, c.last, got, c.want)
		}
	}
}

// TestConfigurationFault: the chart errors that retrying the same configuration cannot fix,
// and a helm registry that no longer exists, are the configuration's fault; a digest mismatch,
// an unreachable registry or a cancelled task are not.
func TestConfigurationFault(t *testing.T) {
	errNotFound := errors.New("not found")
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"chart not found", fmt.Errorf("template %q: chart app from repo: %w: no version matches ^3", "web", charts.ErrChartNotFound), true},
		{"credentials refused", fmt.Errorf("chart: %w: %w", charts.ErrUnauthorized, errors.New("GET https://charts.example.test/index.yaml: 401 Unauthorized")), true},
		{"invalid constraint", fmt.Errorf("chart: %w %q", charts.ErrInvalidConstraint, "one point two"), true},
		{"invalid registry", fmt.Errorf("chart: %w: ftp://x must start with http://, https:// or oci://", charts.ErrInvalidRegistry), true},
		{"archive outside the origin", fmt.Errorf("chart: %w", charts.ErrChartOrigin), true},
		{"template does not render", fmt.Errorf("plan: template %q: %w: NO_SUCH_VARIABLE is not defined", "web", model.ErrInvalid), true},
		{"helm registry deleted", fmt.Errorf("template %q: helm registry %s: %w", "web", "r1", errNotFound), true},
		{"digest mismatch", fmt.Errorf("chart: %w", charts.ErrDigestMismatch), false},
		{"registry unreachable", fmt.Errorf("chart: %w", errors.New("dial tcp 10.0.0.1:443: connect: connection refused")), false},
		{"cancelled", fmt.Errorf("chart: %w", context.Canceled), false},
		{"no error", nil, false},
	} {
		if got := ConfigurationFault(c.err, errNotFound); got != c.want {
			t.Errorf("%s: ConfigurationFault(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
	if ConfigurationFault(errNotFound, nil) {
		t.Error("ConfigurationFault with no not-found sentinel took an unrelated error for one")
	}
}

func TestDeployNeeded(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	recent, old := now.Add(-time.Minute), now.Add(-time.Hour)
	rec := []model.Release{{Namespace: "ns", Name: "web"}}
	obs := func(status string) []Observed {
		return []Observed{{Namespace: "ns", Name: "web", Status: status, Mine: true}}
	}
	for _, c := range []struct {
		name             string
		dep              model.Deployment
		inCluster        []Observed
		canonical, drift bool
	}{
		{"pending: its task may be lost", model.Deployment{Status: model.StatusPending}, nil, true, false},
		{"never recorded", model.Deployment{Status: model.StatusNotDeployed}, nil, true, false},
		{"running and deployed", model.Deployment{Status: model.StatusRunning, Releases: rec}, obs("deployed"), false, false},
		{"running, release gone", model.Deployment{Status: model.StatusRunning, Releases: rec}, nil, false, true},
		{"running, release failed", model.Deployment{Status: model.StatusRunning, Releases: rec}, obs("failed"), false, true},
		{"failed recently: wait", model.Deployment{Status: model.StatusFailed, DeployedAt: &recent, Releases: rec}, obs("failed"), false, false},
		{"failed long ago, release broken: again", model.Deployment{Status: model.StatusFailed, DeployedAt: &old, Releases: rec}, obs("failed"), false, true},
		{"failed before installing anything", model.Deployment{Status: model.StatusFailed, DeployedAt: &old}, nil, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := &model.Version{Deployment: c.dep}
			canonical, drift := DeployNeeded(v, c.inCluster, now, 10*time.Minute)
			if canonical != c.canonical || drift != c.drift {
				t.Errorf("DeployNeeded = canonical %v drift %v, want %v %v", canonical, drift, c.canonical, c.drift)
			}
		})
	}
}

func TestStopNeeded(t *testing.T) {
	recorded := &model.Version{Deployment: model.Deployment{Releases: []model.Release{{Namespace: "ns", Name: "web"}}}}
	for _, c := range []struct {
		name          string
		v             *model.Version
		inCluster     int
		needed, drift bool
	}{
		{"stopped and clean", &model.Version{}, 0, false, false},
		{"releases left in the cluster", &model.Version{}, 1, true, true},
		{"its record still lists releases", recorded, 0, true, false},
	} {
		if needed, drift := StopNeeded(c.v, c.inCluster); needed != c.needed || drift != c.drift {
			t.Errorf("%s: StopNeeded = %v %v, want %v %v", c.name, needed, drift, c.needed, c.drift)
		}
	}
}

func TestSweepRefused(t *testing.T) {
	for _, c := range []struct {
		name                   string
		orphans, own, versions int
		share                  float64
		refused                string
	}{
		{"a few orphans", 1, 10, 9, 0.5, ""},
		{"exactly the share", 5, 10, 5, 0.5, ""},
		{"more than the share", 6, 10, 4, 0.5, "more than the share of 0.50"},
		{"any share allowed", 10, 10, 1, 1, ""},
		{"an empty store", 1, 1, 0, 1, "the store holds no versions"},
	} {
		got := SweepRefused(c.orphans, c.own, c.versions, c.share)
		if (c.refused == "") != (got == "") || !strings.Contains(got, c.refused) {
			t.Errorf("%s: SweepRefused = %q, want %q", c.name, got, c.refused)
		}
	}
}

func TestDeletionComplete(t *testing.T) {
	stopped := model.Version{DesiredState: model.NotDeployed}
	deployed := model.Version{DesiredState: model.Deployed}
	stopping := model.Version{DesiredState: model.NotDeployed, Deployment: model.Deployment{Releases: []model.Release{{Name: "web"}}}}
	for _, c := range []struct {
		name string
		vs   []model.Version
		want bool
	}{
		{"no versions", nil, true},
		{"all stopped", []model.Version{stopped, stopped}, true},
		{"one still deployed", []model.Version{stopped, deployed}, false},
		{"one still has releases", []model.Version{stopping}, false},
	} {
		if got := DeletionComplete(c.vs); got != c.want {
			t.Errorf("%s: DeletionComplete = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOutdated(t *testing.T) {
	p := &model.Project{ImageName: "team/app", URLTemplates: []string{"https://a"}}
	for _, c := range []struct {
		name   string
		change func(*model.Project)
		want   bool
	}{
		{"nothing", func(*model.Project) {}, false},
		{"the name only", func(p *model.Project) { p.Name = "other" }, false},
		{"the image", func(p *model.Project) { p.ImageName = "team/other" }, true},
		{"the namespace", func(p *model.Project) { p.Namespace = "on-x" }, true},
		{"a URL template", func(p *model.Project) { p.URLTemplates = []string{"https://b"} }, true},
		{"a variable", func(p *model.Project) { p.TemplateVariables = []model.TemplateVariable{{Name: "X"}} }, true},
	} {
		b := *p
		c.change(&b)
		if got := ProjectOutdates(p, &b); got != c.want {
			t.Errorf("project, %s: ProjectOutdates = %v, want %v", c.name, got, c.want)
		}
	}
	v := &model.Version{DesiredState: model.Deployed}
	changed := *v
	changed.TemplateVariables = map[string]string{"X": "1"}
	if !VersionOutdated(v, &changed) {
		t.Error("a deployed version whose variables changed is not outdated")
	}
	stopped := changed
	stopped.DesiredState = model.NotDeployed
	if VersionOutdated(v, &stopped) || VersionOutdated(v, v) {
		t.Error("a stopped or unchanged version is outdated")
	}
}

func TestTaskObsolete(t *testing.T) {
	v := &model.Version{Generation: 3, DesiredState: model.Deployed}
	for _, c := range []struct {
		name       string
		v          *model.Version
		generation int64
		want       model.DesiredState
		reason     string
	}{
		{"current deploy", v, 3, model.Deployed, ""},
		{"a task of a newer generation than read still runs", v, 4, model.Deployed, ""},
		{"version gone", nil, 3, model.Deployed, "gone"},
		{"newer request", v, 2, model.Deployed, "stale"},
		{"desired state changed", v, 3, model.NotDeployed, "desired state changed"},
	} {
		got := TaskObsolete(c.v, c.generation, c.want)
		if (c.reason == "") != (got == "") || !strings.Contains(got, c.reason) {
			t.Errorf("%s: %q, want %q", c.name, got, c.reason)
		}
	}
}

func TestDeployNewTag(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		name string
		p    model.Project
		tag  string
		want bool
	}{
		{"no rule", model.Project{}, "1.0", false},
		{"glob matches", model.Project{AutoDeploy: &model.AutoDeploy{TagPattern: "release-*"}}, "release-7", true},
		{"glob does not match", model.Project{AutoDeploy: &model.AutoDeploy{TagPattern: "release-*"}}, "feature-x", false},
		{"semver matches", model.Project{AutoDeploy: &model.AutoDeploy{Semver: ">=1.0"}}, "1.2.0", true},
		{"project being deleted", model.Project{AutoDeploy: &model.AutoDeploy{TagPattern: "*"}, DeletingSince: &now}, "1.0", false},
	} {
		if got := DeployNewTag(&c.p, c.tag); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRedeployOnNewDigest(t *testing.T) {
	for _, c := range []struct {
		state     model.DesiredState
		behaviour model.DeploymentBehaviour
		want      bool
	}{
		{model.Deployed, model.BehaviourAutomatically, true},
		{model.Deployed, model.BehaviourManually, false},
		{model.NotDeployed, model.BehaviourAutomatically, false},
	} {
		v := &model.Version{DesiredState: c.state, DeploymentBehaviour: c.behaviour}
		if got := RedeployOnNewDigest(v); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.state, c.behaviour, got, c.want)
		}
	}
}

func TestRemoveAtOnce(t *testing.T) {
	rel := []model.Release{{Name: "web", Namespace: "ns"}}
	for _, c := range []struct {
		name string
		v    model.Version
		want bool
	}{
		{"not deployed, nothing recorded", model.Version{DesiredState: model.NotDeployed}, true},
		{"not deployed, releases still recorded", model.Version{DesiredState: model.NotDeployed, Deployment: model.Deployment{Releases: rel}}, false},
		{"deployed", model.Version{DesiredState: model.Deployed}, false},
	} {
		if got := RemoveAtOnce(&c.v); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRemovalsRefused(t *testing.T) {
	versions := map[string]bool{"a": true, "b": true, "c": true, "d": true}
	for _, c := range []struct {
		name    string
		removed []string
		refused bool
		n       int
	}{
		{"one of four", []string{"a"}, false, 1},
		{"half is not more than half", []string{"a", "b"}, false, 2},
		{"three of four", []string{"a", "b", "c"}, true, 3},
		{"tags of other projects do not count", []string{"a", "x", "y", "z"}, false, 1},
	} {
		refused, n := RemovalsRefused(c.removed, versions)
		if refused != c.refused || n != c.n {
			t.Errorf("%s: %v, %d; want %v, %d", c.name, refused, n, c.refused, c.n)
		}
	}
	if refused, _ := RemovalsRefused([]string{"only"}, map[string]bool{"only": true}); refused {
		t.Error("the removal of a project's only version was refused; one removal is never refused")
	}
}

func TestOwnRelease(t *testing.T) {
	known := map[string]bool{"v1": true}
	for _, c := range []struct {
		name, installation, version string
		want                        bool
	}{
		{"labelled with this installation", "me", "v9", true},
		{"labelled with another installation", "other", "v1", false},
		{"unlabelled, version in the store: adopted", "", "v1", true},
		{"unlabelled, version unknown: left alone", "", "v9", false},
	} {
		if got := OwnRelease(c.installation, c.version, "me", known); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
