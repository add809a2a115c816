package migrate

import (
	"context"
	"strings"
	"testing"

	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/onekoformat"
)

// TestMigratedUsersUnambiguous: O-Neko users become oneko users only with a username without @
// and an e-mail address no other user has, in any case — of oneko or migrated before them; the
// others are skipped with the reason, and applying the plan never fails on them.
func TestMigratedUsersUnambiguous(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.CreateUser(ctx, &model.User{Username: "root", Email: "Root@oneko.test", Role: model.RoleAdmin, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	in := &Installation{Users: []onekoformat.User{
		{Username: "carol", Email: "ROOT@oneko.test", Role: "DOER"},    // oneko's root has it
		{Username: "dave@corp", Email: "dave@corp.test", Role: "DOER"}, // @ in the username
		{Username: "erin", Email: "erin@corp.test", Role: "DOER"},
		{Username: "frank", Email: "Erin@Corp.test", Role: "DOER"}, // erin has it
		{Username: "grace", Role: "VIEWER"},
		{Username: "heidi", Role: "VIEWER"}, // no address: no collision
	}}
	plan, err := MakePlan(ctx, in, st)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]Action{}
	notes := map[string]string{}
	for _, it := range plan.Items {
		actions[it.Name] = it.Action
		notes[it.Name] = strings.Join(it.Attention, "; ")
	}
	want := map[string]Action{"carol": Skip, "dave@corp": Skip, "erin": Create, "frank": Skip, "grace": Create, "heidi": Create}
	for name, a := range want {
		if actions[name] != a {
			t.Errorf("%s: %s (%s), want %s", name, actions[name], notes[name], a)
		}
	}
	if !strings.Contains(notes["carol"], `"root"`) || !strings.Contains(notes["dave@corp"], "@") || !strings.Contains(notes["frank"], `"erin"`) {
		t.Errorf("skips do not say why: %v", notes)
	}
	if err := Apply(ctx, plan, st, Options{}); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if n, _ := st.CountUsers(ctx); n != 4 {
		t.Fatalf("%d users after the migration, want 4", n)
	}
}
