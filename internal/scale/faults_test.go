package scale

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// TestScaledPoolsUnderFaults runs 2 api and 3 worker processes of the real binary on one store
// process, one redis-server and the local cluster, and injects faults while they work:
//
//   - webhooks of 40 tags, each sent three times, are sprayed at both apis; one api is killed
//     with SIGKILL in the middle of a request (a webhook whose body is half sent) and started
//     again. Every webhook answered 202 produced its version exactly once, with the pushed
//     digest; the interrupted request left nothing.
//   - bursts of deploy and stop requests go to 20 versions through both apis. Meanwhile a
//     worker is killed with SIGKILL in the middle of a Helm upgrade (one whose Pods wait for a
//     node pool), the pool is then made available, and the version must be Running again
//     without being asked twice (the time it takes is printed). Then each worker in turn gets
//     SIGTERM while it runs tasks, must be gone within its grace period having finished or
//     handed back each task, and is started again.
//
// Afterwards every version is in the state last asked for, no release is left pending, and the
// record of Helm's release Secrets, kept by a watch outside every oneko process, shows no two
// operations on one release at once.
func TestScaledPoolsUnderFaults(t *testing.T) {
	needPool(t)
	p := newPool(t, 2, 3)
	pr := p.newProject()
	rec := recordHelm(t, p.kube, pr.Namespace)

	// Webhooks, with an api killed mid-request.
	var tags []string
	for i := 0; i < 40; i++ {
		tags = append(tags, fmt.Sprintf("t%02d", i))
	}
	tags = append(tags, "victim")
	for _, tag := range append(tags, "halfway") {
		pr.push(t, tag)
	}
	accepted := p.sprayWebhooks(pr, tags, 3, true)
	byName := map[string][]version{}
	eventually(t, "a version for every accepted webhook", 2*time.Minute, func() (bool, error) {
		byName = map[string][]version{}
		for _, v := range p.versions(pr.ID) {
			byName[v.Name] = append(byName[v.Name], v)
		}
		for tag := range accepted {
			if len(byName[tag]) == 0 {
				return false, nil
			}
		}
		return true, nil
	})
	for tag, n := range accepted {
		if got := len(byName[tag]); got != 1 {
			t.Errorf("tag %s: %d webhooks accepted, %d versions; want exactly one", tag, n, got)
		}
	}
	if _, ok := byName["halfway"]; ok {
		t.Errorf("the webhook cut off by the api's SIGKILL created a version")
	}
	if len(accepted) != len(tags) {
		t.Fatalf("%d of %d tags accepted; every one is retried until accepted", len(accepted), len(tags))
	}
	ids := map[string]string{}
	for _, v := range p.versions(pr.ID) {
		ids[v.Name] = v.ID
	}

	// The victim runs before the bursts start: revision 1 on any node.
	victim := ids["victim"]
	p.must(http.MethodPost, "/api/v1/projects/"+pr.ID+"/versions/"+victim+"/deploy", nil, http.StatusAccepted, nil)
	var release string
	eventually(t, "the victim to run", 3*time.Minute, func() (bool, error) {
		v := p.getVersion(pr.ID, victim)
		if v.Deployment.Status == "Failed" {
			return false, fmt.Errorf("first deploy failed: %s", v.Deployment.Message)
		}
		if v.Deployment.Status == "Running" && len(v.Deployment.Releases) == 1 {
			release = v.Deployment.Releases[0].Name
			return true, nil
		}
		return false, nil
	})

	b := p.startBursts(pr, tags[:20], ids)

	// SIGKILL of the worker in the middle of the victim's upgrade.
	nodePool := "scale-" + suffix(t)
	p.must(http.MethodPut, "/api/v1/projects/"+pr.ID+"/versions/"+victim+"/variables", map[string]string{"POOL": nodePool}, http.StatusOK, nil)
	p.must(http.MethodPost, "/api/v1/projects/"+pr.ID+"/versions/"+victim+"/deploy", nil, http.StatusAccepted, nil)
	gen := p.getVersion(pr.ID, victim).Generation
	taskID := fmt.Sprintf("deploy:%s@%d", victim, gen)
	var holder *node
	var seen string
	eventually(t, "the victim's upgrade to wait for its Pods", 3*time.Minute, func() (bool, error) {
		v := p.getVersion(pr.ID, victim)
		seen = fmt.Sprintf("version: generation %d %s %q", v.Generation, v.Deployment.Status, v.Deployment.Message)
		if v.Deployment.Status == "Failed" || v.Deployment.Status == "Running" {
			return false, fmt.Errorf("the upgrade to a node pool no node has ended: %s", seen)
		}
		secrets, err := p.kube.CoreV1().Secrets(pr.Namespace).List(t.Context(), metav1.ListOptions{LabelSelector: "owner=helm,status=pending-upgrade,name=" + release})
		if err != nil || len(secrets.Items) == 0 {
			return false, err
		}
		seen += "; revision pending-upgrade"
		dep, err := p.kube.AppsV1().Deployments(pr.Namespace).Get(t.Context(), release, metav1.GetOptions{})
		if err != nil || dep.Spec.Template.Spec.NodeSelector[poolLabel] != nodePool {
			return false, err
		}
		seen += "; Deployment on the pool; active tasks:"
		for _, w := range p.workers {
			active := p.activeTasks(w)
			seen += fmt.Sprintf(" %s %v", w.name, active)
			for _, id := range active {
				if strings.HasSuffix(id, "/"+taskID) {
					holder = w
				}
			}
		}
		return holder != nil, nil
	}, func() string { return seen + "; looking for task " + taskID })
	killed := holder.signal(syscall.SIGKILL)
	if died, ok := holder.wait(time.Minute); ok {
		rec.died(died)
	}
	if pend, err := pendingNow(t.Context(), p.kube, pr.Namespace); err != nil || !strings.Contains(strings.Join(pend, ","), release+" revision 2 pending-upgrade") {
		t.Fatalf("after the SIGKILL: pending revisions %v (%v); want %s revision 2 left pending-upgrade", pend, err, release)
	}
	t.Logf("killed %s (pid %d) in the middle of the upgrade of %s", holder.name, holder.pid(), release)
	p.restart(holder)
	labelNode(t, p, nodePool)
	recovered := make(chan time.Duration, 1)
	go func() {
		for {
			st, body, err := p.call(p.apis[0].url(), http.MethodGet, "/api/v1/projects/"+pr.ID+"/versions/"+victim, nil)
			if err == nil && st == http.StatusOK && strings.Contains(string(body), `"status":"Running"`) {
				recovered <- time.Since(killed)
				return
			}
			if time.Since(killed) > 6*time.Minute {
				close(recovered)
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()

	// SIGTERM of each worker in turn, while it runs tasks.
	for _, w := range p.workers {
		var active []string
		deadline := time.Now().Add(30 * time.Second)
		for len(active) == 0 && time.Now().Before(deadline) {
			active = p.activeTasks(w)
			time.Sleep(100 * time.Millisecond)
		}
		sent := w.signal(syscall.SIGTERM)
		ended, ok := w.wait(shutdownTimeout + graceMargin)
		if ok {
			rec.died(ended)
		}
		if !ok {
			t.Fatalf("%s still runs %s after SIGTERM: past its grace period (ONEKO_WORKER_SHUTDOWN_TIMEOUT %s + %s)", w.name, shutdownTimeout+graceMargin, shutdownTimeout, graceMargin)
		}
		if !w.cmd.ProcessState.Success() {
			t.Errorf("%s ended with %s after SIGTERM, want exit 0", w.name, w.cmd.ProcessState)
		}
		t.Logf("%s stopped %s after SIGTERM with tasks %v", w.name, ended.Sub(sent).Round(time.Millisecond), active)
		for _, id := range active {
			p.checkNotOrphaned(w, id)
		}
		p.restart(w)
	}

	d, ok := <-recovered
	if !ok {
		t.Fatalf("the victim is not Running again 6 minutes after its worker was killed: %+v", p.getVersion(pr.ID, victim))
	}
	t.Logf("figure: the version whose worker was killed mid-upgrade was Running again %s after the SIGKILL", d.Round(100*time.Millisecond))

	last := b.stop()
	for _, e := range b.errs {
		t.Errorf("a deploy or stop request was refused: %s", e)
	}
	last[victim] = "Deployed"
	eventually(t, "every version to reach the state last asked for", 6*time.Minute, func() (bool, error) {
		for id, want := range last {
			v := p.getVersion(pr.ID, id)
			status := map[string]string{"Deployed": "Running", "NotDeployed": "NotDeployed"}[want]
			if v.DesiredState != want || v.Deployment.Status != status {
				return false, nil
			}
		}
		return true, nil
	})
	if pend, err := pendingNow(t.Context(), p.kube, pr.Namespace); err != nil || len(pend) > 0 {
		t.Errorf("releases left pending: %v %v", pend, err)
	}
	rec.waitQuiet(2 * time.Second)
	ops, takenOver, problems := rec.audit()
	for _, pb := range problems {
		t.Error(pb)
	}
	if ops < 20 {
		t.Errorf("the record of Helm's Secrets shows %d operations; the bursts alone asked for more", ops)
	}
	t.Logf("%d Helm operations recorded on %d versions, none at once on a release (%d left open by a dead worker and taken over after its death); %d deploy/stop requests accepted",
		ops, len(last), takenOver, b.accepted)
}

// sprayWebhooks posts every tag's webhook copies times, alternating between the first two
// apis, from 16 goroutines; a request that fails is sent again to the other api. With
// killOne the second api is killed with SIGKILL while it reads a webhook whose body is half
// sent (tag "halfway"), and started again afterwards. It returns how many webhooks of each
// tag were answered 202.
func (p *pool) sprayWebhooks(pr *project, tags []string, copies int, killOne bool) map[string]int {
	p.t.Helper()
	type job struct {
		tag string
		api int
	}
	jobs := make(chan job)
	var mu sync.Mutex
	accepted := map[string]int{}
	var unexpected []string
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				for try := 0; ; try++ {
					a := p.apis[(j.api+try)%2]
					st, err := p.sendWebhook(a.url(), pr, j.tag)
					if err == nil && st == http.StatusAccepted {
						mu.Lock()
						accepted[j.tag]++
						mu.Unlock()
						break
					}
					if err == nil {
						mu.Lock()
						unexpected = append(unexpected, fmt.Sprintf("%s: %d", j.tag, st))
						mu.Unlock()
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	var half chan error
	for i := 0; i < len(tags)*copies; i++ {
		if killOne && i == len(tags)*copies/3 {
			half = p.killMidRequest(pr)
		}
		jobs <- job{tag: tags[i%len(tags)], api: i % 2}
	}
	close(jobs)
	wg.Wait()
	if killOne {
		if err := <-half; err == nil {
			p.t.Fatal("the webhook whose body was half sent got an answer, although its api was killed")
		}
		p.restart(p.apis[1])
	}
	if len(unexpected) > 0 {
		p.t.Fatalf("webhooks answered neither 202 nor a dropped connection: %v", unexpected)
	}
	return accepted
}

// killMidRequest starts a webhook to the second api whose body stops halfway, kills that api
// with SIGKILL while the request is open, and returns what the request ended with.
func (p *pool) killMidRequest(pr *project) chan error {
	p.t.Helper()
	a := p.apis[1]
	body, w := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, a.url()+pr.webhookURL, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+pr.secret)
	full := pr.webhook("halfway")
	req.ContentLength = int64(len(full))
	done := make(chan error, 1)
	go func() {
		res, err := p.http.Do(req)
		if err == nil {
			res.Body.Close()
			err = nil
			if res.StatusCode != http.StatusAccepted {
				err = fmt.Errorf("status %d", res.StatusCode)
			}
			if err == nil {
				done <- nil
				return
			}
		}
		done <- err
	}()
	if _, err := w.Write([]byte(full[:len(full)/2])); err != nil {
		p.t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the api reads the body's first half and waits for the rest
	a.signal(syscall.SIGKILL)
	a.wait(time.Minute)
	_ = w.CloseWithError(errors.New("api killed"))
	return done
}

// checkNotOrphaned checks that task id (queue/id), which the SIGTERMed worker w ran, was
// finished or handed back: it is gone (completed), waiting in the queue, or run by another
// live worker — not left active on the dead one until asynq's lease recovery.
func (p *pool) checkNotOrphaned(w *node, qid string) {
	p.t.Helper()
	queue, id, _ := strings.Cut(qid, "/")
	eventually(p.t, "task "+id+" of "+w.name+" to be finished or handed back", 15*time.Second, func() (bool, error) {
		info, err := p.insp.GetTaskInfo(queue, id)
		if errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if info.State != asynq.TaskStateActive {
			return true, nil
		}
		for _, o := range p.workers {
			if o != w && !o.exited() && containsTask(p.activeTasks(o), qid) {
				return true, nil
			}
		}
		return false, nil
	})
}

func containsTask(ids []string, qid string) bool {
	for _, x := range ids {
		if x == qid {
			return true
		}
	}
	return false
}

// bursts sends deploy and stop requests to versions until stopped.
type bursts struct {
	stopCh   chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	last     map[string]string // version id → last state asked for and accepted
	accepted int
	errs     []string
}

// startBursts starts one goroutine per version that asks for deploy or stop (at random,
// through a random api) every 0.2-1.5 s.
func (p *pool) startBursts(pr *project, tags []string, ids map[string]string) *bursts {
	b := &bursts{stopCh: make(chan struct{}), last: map[string]string{}}
	for _, tag := range tags {
		id := ids[tag]
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			ask := func() bool {
				action, state := "deploy", "Deployed"
				if rand.IntN(2) == 0 {
					action, state = "stop", "NotDeployed"
				}
				a := p.apis[rand.IntN(len(p.apis))]
				st, body, err := p.call(a.url(), http.MethodPost, "/api/v1/projects/"+pr.ID+"/versions/"+id+"/"+action, nil)
				b.mu.Lock()
				defer b.mu.Unlock()
				switch {
				case err != nil:
					return false
				case st != http.StatusAccepted:
					b.errs = append(b.errs, fmt.Sprintf("%s %s: %d %s", action, tag, st, body))
					return false
				}
				b.last[id] = state
				b.accepted++
				return true
			}
			for {
				select {
				case <-b.stopCh:
					for !ask() {
						time.Sleep(100 * time.Millisecond)
					}
					return
				case <-time.After(time.Duration(200+rand.IntN(1300)) * time.Millisecond):
					ask()
				}
			}
		}()
	}
	return b
}

// stop ends the bursts after one last accepted request per version and returns the state
// each version was last asked for.
func (b *bursts) stop() map[string]string {
	close(b.stopCh)
	b.wg.Wait()
	return b.last
}

// labelNode puts poolLabel=value on a schedulable node until the test ends.
func labelNode(t *testing.T, p *pool, value string) {
	t.Helper()
	nodes, err := p.kube.CoreV1().Nodes().List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var name string
	for _, n := range nodes.Items {
		if !n.Spec.Unschedulable {
			name = n.Name
			break
		}
	}
	if name == "" {
		t.Fatal("no schedulable node")
	}
	patch := func(ctx context.Context, v string) error {
		_, err := p.kube.CoreV1().Nodes().Patch(ctx, name, types.MergePatchType, []byte(fmt.Sprintf(`{"metadata":{"labels":{%q:%s}}}`, poolLabel, v)), metav1.PatchOptions{})
		return err
	}
	if err := patch(t.Context(), fmt.Sprintf("%q", value)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = patch(ctx, "null")
	})
}
