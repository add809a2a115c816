package registry

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name  string
		known []Known
		tags  []string
		want  PollPlan
	}{
		{name: "nothing known", tags: []string{"a", "b"}, want: PollPlan{New: []string{"a", "b"}}},
		{name: "nothing listed", known: []Known{{Tag: "a"}, {Tag: "b", DigestMatters: true}}, want: PollPlan{Removed: []string{"a", "b"}}},
		{name: "steady, no digest matters", known: []Known{{Tag: "a"}, {Tag: "b"}}, tags: []string{"a", "b"}, want: PollPlan{}},
		{name: "only digests that matter are checked",
			known: []Known{{Tag: "a", DigestMatters: true}, {Tag: "b"}, {Tag: "c", DigestMatters: true}},
			tags:  []string{"a", "b", "c"},
			want:  PollPlan{Check: []string{"a", "c"}}},
		{name: "new, removed and checked together",
			known: []Known{{Tag: "old"}, {Tag: "live", DigestMatters: true}, {Tag: "gone", DigestMatters: true}},
			tags:  []string{"live", "new-1", "new-2"},
			want:  PollPlan{New: []string{"new-1", "new-2"}, Check: []string{"live"}, Removed: []string{"old", "gone"}}},
		{name: "duplicates in either list count once",
			known: []Known{{Tag: "a", DigestMatters: true}, {Tag: "a", DigestMatters: true}},
			tags:  []string{"a", "b", "b"},
			want:  PollPlan{New: []string{"b"}, Check: []string{"a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Plan(tt.known, tt.tags); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Plan() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestPoll runs a poll against a registry that changed since oneko last looked: a tag deleted,
// a tag re-pushed, new tags (one of which needs its digest at once), a multi-arch index.
func TestPoll(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authBearer)
	const repo = "team/app"
	first := map[string]string{
		"1.0.0":     reg.pushImage(repo, "1.0.0"),
		"1.1.0":     reg.pushImage(repo, "1.1.0"),
		"feature-x": reg.pushImage(repo, "feature-x"),
		"stable":    reg.pushIndex(repo, "stable"),
	}
	known := []Known{
		{Tag: "1.0.0", Digest: first["1.0.0"], DigestMatters: true},
		{Tag: "1.1.0", Digest: first["1.1.0"]},
		{Tag: "feature-x", Digest: first["feature-x"], DigestMatters: true},
		{Tag: "stable", Digest: first["stable"], DigestMatters: true},
		{Tag: "deleted-long-ago"},
	}
	c := reg.client(ClientConfig{PageSize: 2})

	// Warm the client (ping and token), and check a steady registry reports nothing but the
	// tag oneko lost track of.
	steady, err := Poll(ctx, c, repo, known, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Changes{Removed: []string{"deleted-long-ago"}, Requests: 2 + 3 + 1}); !reflect.DeepEqual(steady, want) {
		t.Fatalf("steady poll = %+v, want %+v", steady, want)
	}

	reg.deleteTag(repo, "1.1.0")
	repushed := reg.pushImage(repo, "feature-x")
	newIndex := reg.pushIndex(repo, "2.0.0")
	reg.pushImage(repo, "pr-1")
	reg.tag(repo, "pr-1", "pr-2")

	before := c.Stats()
	got, err := Poll(ctx, c, repo, known, func(tag string) bool { return tag == "2.0.0" })
	if err != nil {
		t.Fatal(err)
	}
	want := Changes{
		New:      []TagDigest{{Tag: "2.0.0", Digest: newIndex}, {Tag: "pr-1"}, {Tag: "pr-2"}},
		Changed:  []DigestChange{{Tag: "feature-x", Previous: first["feature-x"], Digest: repushed}},
		Removed:  []string{"1.1.0", "deleted-long-ago"},
		Requests: 3 + 3 + 1 + 2, // 6 tags in pages of 2, three digests that matter, one new digest needed, two removals confirmed
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Poll() =\n%+v\nwant\n%+v", got, want)
	}
	if sent := c.Stats().Requests - before.Requests; sent != int64(want.Requests) {
		t.Errorf("requests sent = %d, want %d (tag-list pages + HEADs that matter + HEADs confirming removals)", sent, want.Requests)
	}
}

func TestPollErrors(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authBasic)
	reg.pushImage("team/app", "1.0.0")

	t.Run("unknown repository", func(t *testing.T) {
		c := reg.client(ClientConfig{})
		if _, err := Poll(ctx, c, "team/none", []Known{{Tag: "1.0.0"}}, nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("Poll = %v, want ErrNotFound", err)
		}
	})
	t.Run("wrong credentials", func(t *testing.T) {
		c := reg.client(ClientConfig{Username: testUser, Password: "wrong"})
		if _, err := Poll(ctx, c, "team/app", nil, nil); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Poll = %v, want ErrUnauthorized", err)
		}
	})
	t.Run("rate limit exhausted on a HEAD fails the poll", func(t *testing.T) {
		c := reg.client(ClientConfig{MaxRetries: -1})
		if _, err := c.ListTags(ctx, "team/app"); err != nil { // ping first
			t.Fatal(err)
		}
		reg.retryAfter.Store("0")
		reg.throttleAfter(1, 1) // the tag list passes, the HEAD is refused
		known := []Known{{Tag: "1.0.0", DigestMatters: true}}
		if _, err := Poll(ctx, c, "team/app", known, nil); !errors.Is(err, ErrRateLimited) {
			t.Errorf("Poll = %v, want ErrRateLimited", err)
		}
	})
}

// TestPollPerTagFailures: a tag that vanishes between the list and its HEAD is removed (or not
// new); a tag whose HEAD fails otherwise is reported in Failed without failing the poll; a known
// tag missing from the list is removed only when its HEAD answers 404.
func TestPollPerTagFailures(t *testing.T) {
	ctx := context.Background()
	reg := newTestRegistry(t, authNone)
	const repo = "team/app"
	for _, tag := range []string{"vanished", "broken", "fine", "new-vanished", "new-broken"} {
		reg.pushImage(repo, tag)
	}
	reg.headStatus.Store(repo+":vanished", 404)
	reg.headStatus.Store(repo+":new-vanished", 404)
	reg.headStatus.Store(repo+":broken", 500)
	reg.headStatus.Store(repo+":new-broken", 500)
	reg.headStatus.Store(repo+":unlisted-unsure", 500)
	known := []Known{
		{Tag: "unlisted-unsure"},
		{Tag: "vanished", DigestMatters: true},
		{Tag: "broken", Digest: d1, DigestMatters: true},
		{Tag: "fine", DigestMatters: true},
	}
	c := reg.client(ClientConfig{})
	got, err := Poll(ctx, c, repo, known, func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Removed, []string{"vanished"}) {
		t.Errorf("Removed = %v, want [vanished]", got.Removed)
	}
	if len(got.Changed) != 1 || got.Changed[0].Tag != "fine" || got.Changed[0].Previous != "" {
		t.Errorf("Changed = %+v, want the first digest of fine", got.Changed)
	}
	if !reflect.DeepEqual(got.New, []TagDigest{{Tag: "new-broken"}}) {
		t.Errorf("New = %+v, want new-broken without digest", got.New)
	}
	if len(got.Failed) != 3 || got.Failed["broken"] == nil || got.Failed["new-broken"] == nil || got.Failed["unlisted-unsure"] == nil {
		t.Errorf("Failed = %v, want broken, new-broken and unlisted-unsure", got.Failed)
	}
}
