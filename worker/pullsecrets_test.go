package worker

import (
	"context"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// pullSecretWorld is a docker registry with credentials whose pull secret is in three
// namespaces: the project's (written by a real deploy) and another of this installation,
// plus a namespace where another installation keeps a Secret of the same name and labels and
// one with a Secret of that name and no labels.
type pullSecretWorld struct {
	p        *model.Project
	reg      *model.DockerRegistry
	mine     []string // namespaces of this installation holding the registry's pull secret
	foreign  string   // the other installation's Secret lives here
	unlabels string   // an unlabelled Secret of the same name lives here
}

func newPullSecretWorld(t *testing.T, e *env) *pullSecretWorld {
	t.Helper()
	ctx := t.Context()
	cs := cluster.Client(t)
	p := e.project(t, projectSpec{})
	reg := &model.DockerRegistry{Name: "private-" + randomSuffix(t), URL: "https://private.example.test", Username: "robot", Password: "first-pa55", WebhookFormat: model.WebhookAuto}
	if err := e.store.CreateDockerRegistry(ctx, reg); err != nil {
		t.Fatal(err)
	}
	p.DockerRegistryID = reg.ID
	if err := e.store.UpdateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	e.deployed(t, p, "1.0")
	// The deploy ran by hand: its queued task goes, so that no later deploy rewrites the
	// secret while the test drains the queue.
	insp := asynq.NewInspector(e.redis)
	defer insp.Close()
	if _, err := insp.DeleteAllPendingTasks(tasks.QueueCritical); err != nil {
		t.Fatal(err)
	}
	s := randomSuffix(t)
	w := &pullSecretWorld{p: p, reg: reg, mine: []string{p.Namespace, "on-ps-mine-" + s}, foreign: "on-ps-other-" + s, unlabels: "on-ps-bare-" + s}
	t.Cleanup(func() {
		for _, ns := range w.mine[1:] {
			_ = cs.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{})
		}
		_ = cs.CoreV1().Namespaces().Delete(context.Background(), w.foreign, metav1.DeleteOptions{})
		_ = cs.CoreV1().Namespaces().Delete(context.Background(), w.unlabels, metav1.DeleteOptions{})
	})
	if err := e.kube.EnsureNamespace(ctx, w.mine[1], []model.DockerRegistry{*reg}); err != nil {
		t.Fatal(err)
	}
	if err := kube.NewForClientset(cs, "other-installation").EnsureNamespace(ctx, w.foreign, []model.DockerRegistry{*reg}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: w.unlabels}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cfg, err := kube.DockerConfig(reg)
	if err != nil {
		t.Fatal(err)
	}
	bare := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: kube.PullSecretName(reg), Namespace: w.unlabels},
		Type: corev1.SecretTypeDockerConfigJson, Data: map[string][]byte{corev1.DockerConfigJsonKey: cfg}}
	if _, err := cs.CoreV1().Secrets(w.unlabels).Create(ctx, bare, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, ns := range w.mine {
		if got := w.config(t, ns); !strings.Contains(got, "first-pa55") {
			t.Fatalf("pull secret in %s before the change: %q", ns, got)
		}
	}
	return w
}

// config is the .dockerconfigjson of the registry's pull secret in ns, "" when there is none.
func (w *pullSecretWorld) config(t *testing.T, ns string) string {
	t.Helper()
	s, err := cluster.Client(t).CoreV1().Secrets(ns).Get(t.Context(), kube.PullSecretName(w.reg), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(s.Data[corev1.DockerConfigJsonKey])
}

// othersUntouched checks that the other installation's and the unlabelled Secret still hold
// the first credentials.
func (w *pullSecretWorld) othersUntouched(t *testing.T) {
	t.Helper()
	for _, ns := range []string{w.foreign, w.unlabels} {
		if got := w.config(t, ns); !strings.Contains(got, "first-pa55") {
			t.Fatalf("a Secret that is not this installation's (%s) was changed: %q", ns, got)
		}
	}
}

// changePassword stores a new password for the registry, as a PUT does.
func (w *pullSecretWorld) changePassword(t *testing.T, e *env, pw string) {
	t.Helper()
	reg, err := e.store.GetDockerRegistry(t.Context(), w.reg.ID)
	if err != nil {
		t.Fatal(err)
	}
	reg.Password = pw
	if err := e.store.UpdateDockerRegistry(t.Context(), reg); err != nil {
		t.Fatal(err)
	}
	w.reg = reg
}

// deleteRegistry moves the project to another registry and deletes this one, as the api does.
func (w *pullSecretWorld) deleteRegistry(t *testing.T, e *env) {
	t.Helper()
	ctx := t.Context()
	other := &model.DockerRegistry{Name: "next-" + randomSuffix(t), URL: "https://next.example.test", WebhookFormat: model.WebhookAuto}
	if err := e.store.CreateDockerRegistry(ctx, other); err != nil {
		t.Fatal(err)
	}
	p, err := e.store.GetProject(ctx, w.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.DockerRegistryID = other.ID
	if err := e.store.UpdateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := e.store.DeleteDockerRegistry(ctx, w.reg.ID); err != nil {
		t.Fatal(err)
	}
}

// enqueueSync queues the pull secrets task the api queues after a write.
func (e *env) enqueueSync(t *testing.T, p tasks.PullSecretsPayload) {
	t.Helper()
	task, err := tasks.NewSyncPullSecrets(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, dup, err := tasks.Enqueue(t.Context(), e.queue, task); err != nil || dup {
		t.Fatalf("enqueue: %v (duplicate %v)", err, dup)
	}
}

// TestPullSecretsFollowTheirRegistry: a changed password reaches the registry's pull secret in
// every namespace of this installation without a deploy, by the task the api queues (run by a
// real asynq server with the worker's mux); deleting the registry removes them. A Secret of
// another installation with the same name and labels, and an unlabelled one, stay as they
// were.
func TestPullSecretsFollowTheirRegistry(t *testing.T) {
	e := newEnv(t)
	w := newPullSecretWorld(t, e)

	w.changePassword(t, e, "second-pa55")
	e.enqueueSync(t, tasks.PullSecretsPayload{RegistryID: w.reg.ID, Revision: w.reg.Revision})
	e.drain(t, 1)
	for _, ns := range w.mine {
		if got := w.config(t, ns); !strings.Contains(got, "second-pa55") || strings.Contains(got, "first-pa55") {
			t.Fatalf("pull secret in %s after the password change: %q", ns, got)
		}
	}
	w.othersUntouched(t)

	w.deleteRegistry(t, e)
	e.enqueueSync(t, tasks.PullSecretsPayload{RegistryID: w.reg.ID, Revision: w.reg.Revision, Deleted: true})
	e.drain(t, 1)
	for _, ns := range w.mine {
		if got := w.config(t, ns); got != "" {
			t.Fatalf("pull secret in %s after the registry was deleted: %q", ns, got)
		}
	}
	w.othersUntouched(t)
}

// TestReconcileRepairsPullSecrets: when the api's task was lost (the api died after the store
// write, Redis was flushed), the periodic reconcile writes the changed password and removes
// the secrets of a deleted registry — but an empty database with this installation's id
// deletes none.
func TestReconcileRepairsPullSecrets(t *testing.T) {
	e := newEnv(t)
	w := newPullSecretWorld(t, e)

	w.changePassword(t, e, "second-pa55")
	e.reconcile(t)
	for _, ns := range w.mine {
		if got := w.config(t, ns); !strings.Contains(got, "second-pa55") {
			t.Fatalf("pull secret in %s after the reconcile: %q", ns, got)
		}
	}
	w.othersUntouched(t)

	// An empty database under this installation's id deletes no pull secret.
	empty := newEnv(t, func(d *Deps) {
		d.InstallationID = e.installation
		d.Cluster = kube.NewForClientset(cluster.Client(t), e.installation)
	})
	empty.reconcile(t)
	for _, ns := range w.mine {
		if got := w.config(t, ns); got == "" {
			t.Fatalf("the reconcile of an empty database deleted the pull secret in %s", ns)
		}
	}

	w.deleteRegistry(t, e)
	e.reconcile(t)
	for _, ns := range w.mine {
		if got := w.config(t, ns); got != "" {
			t.Fatalf("pull secret in %s after the reconcile of a deleted registry: %q", ns, got)
		}
	}
	w.othersUntouched(t)
}
