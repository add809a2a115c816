package api_test

import (
	"testing"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/tasks"
)

// TestRegistryWritesQueuePullSecretSync: a PUT that changes what a docker registry's pull
// secrets hold (password, username, host) queues the worker's task that rewrites them, under
// the id of that write; a PUT changing nothing of it queues none; a DELETE queues the task
// that removes them. The tasks are in Redis once the answer is sent.
func TestRegistryWritesQueuePullSecretSync(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	admin := e.as(model.RoleAdmin)
	path := "/api/v1/docker-registries/" + f.registryID
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: redisSrv.Addr()})
	defer insp.Close()
	queued := func(p tasks.PullSecretsPayload) bool {
		t.Helper()
		info, err := insp.GetTaskInfo(tasks.QueueDefault, tasks.PullSecretsTaskID(p))
		if err != nil {
			return false
		}
		got, err := tasks.ParsePullSecrets(asynq.NewTask(info.Type, info.Payload))
		if err != nil || info.Type != tasks.TypeSyncPullSecrets || got != p {
			t.Fatalf("task %s: %s %+v %v", info.ID, info.Type, got, err)
		}
		return true
	}
	var reg model.DockerRegistry
	body := map[string]any{"name": "hub-renamed", "url": "https://registry.example.com", "username": "robot"}
	e.do("PUT", path, body, admin, e.fresh(path)).must(t, 200).json(t, &reg)
	if queued(tasks.PullSecretsPayload{RegistryID: f.registryID, Revision: reg.Revision}) {
		t.Fatal("a rename queued a pull secrets task")
	}
	body["password"] = "rotated-pa55word"
	e.do("PUT", path, body, admin, e.fresh(path)).must(t, 200).json(t, &reg)
	if !queued(tasks.PullSecretsPayload{RegistryID: f.registryID, Revision: reg.Revision}) {
		t.Fatal("a password change queued no pull secrets task")
	}
	body["username"] = "robot2"
	e.do("PUT", path, body, admin, e.fresh(path)).must(t, 200).json(t, &reg)
	if !queued(tasks.PullSecretsPayload{RegistryID: f.registryID, Revision: reg.Revision}) {
		t.Fatal("a username change queued no pull secrets task")
	}
	// The registry must be unused to be deleted.
	if err := e.store.DeleteProject(t.Context(), f.projectID); err != nil {
		t.Fatal(err)
	}
	e.do("DELETE", path, nil, admin).must(t, 204)
	if !queued(tasks.PullSecretsPayload{RegistryID: f.registryID, Revision: reg.Revision, Deleted: true}) {
		t.Fatal("deleting the registry queued no task removing its pull secrets")
	}
}

// TestNamespaceCreatedWithoutPullSecrets: a namespace an ADMIN creates holds no docker
// registry's credentials (a deploy writes its project's registry's pull secret).
func TestNamespaceCreatedWithoutPullSecrets(t *testing.T) {
	e := newEnv(t)
	e.cluster.pullSecrets = map[string]int{}
	e.fixture()
	e.do("POST", "/api/v1/namespaces", map[string]any{"name": "payments"}, e.as(model.RoleAdmin)).must(t, 201)
	if e.cluster.created["on-payments"] != 1 {
		t.Fatalf("namespaces created: %v", e.cluster.created)
	}
	if n := e.cluster.pullSecrets["on-payments"]; n != 0 {
		t.Fatalf("the namespace was created with the pull secrets of %d registries, want none", n)
	}
}
