package kube_test

import (
	"testing"

	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
)

// TestPlanPullSecrets: what the sync does with each pull secret found, given the registries
// as stored.
func TestPlanPullSecrets(t *testing.T) {
	reg := func(id, url, user, pw string) *model.DockerRegistry {
		return &model.DockerRegistry{ID: id, Name: "r", URL: url, Username: user, Password: pw}
	}
	current := reg("aaaaaaaaaaaaaaaaaaaaaaaa", "https://r.example.test", "robot", "now")
	cfg := func(r *model.DockerRegistry) []byte {
		b, err := kube.DockerConfig(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	secret := func(r *model.DockerRegistry) kube.PullSecret {
		return kube.PullSecret{Namespace: "ns", Name: kube.PullSecretName(r), RegistryID: r.ID, Config: cfg(r)}
	}
	for name, c := range map[string]struct {
		found       *model.DockerRegistry // the registry as the secret holds it
		stored      *model.DockerRegistry // nil: deleted
		allowDelete bool
		want        string // "", "update", "delete"
	}{
		"unchanged":                   {current, current, true, ""},
		"password changed":            {reg(current.ID, current.URL, "robot", "before"), current, true, "update"},
		"username changed":            {reg(current.ID, current.URL, "bot", "now"), current, true, "update"},
		"host changed":                {reg(current.ID, "https://old.example.test", "robot", "now"), current, true, "update"},
		"credentials removed":         {current, reg(current.ID, current.URL, "", ""), false, "delete"},
		"registry deleted":            {current, nil, true, "delete"},
		"registry deleted, refused":   {current, nil, false, ""},
		"other path on the same host": {current, reg(current.ID, current.URL+"/v2", "robot", "now"), true, ""},
	} {
		t.Run(name, func(t *testing.T) {
			stored := map[string]*model.DockerRegistry{}
			if c.stored != nil {
				stored[c.stored.ID] = c.stored
			}
			changes, err := kube.PlanPullSecrets([]kube.PullSecret{secret(c.found)}, stored, c.allowDelete)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(changes) == 1 {
				got = "update"
				if changes[0].Delete {
					got = "delete"
				} else if string(changes[0].Config) != string(cfg(c.stored)) {
					t.Fatalf("update writes %s", changes[0].Config)
				}
			}
			if len(changes) > 1 || got != c.want {
				t.Fatalf("changes %+v, want %q", changes, c.want)
			}
		})
	}
}
