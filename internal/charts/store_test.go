package charts

import (
	"fmt"
	"testing"
)

// TestArchiveStoreKeepsRecentInMemory: at most keptArchives archives stay in memory (the least
// recently used go first); one dropped from memory is still answered from disk, and Forget
// drops both.
func TestArchiveStoreKeepsRecentInMemory(t *testing.T) {
	s := newArchiveStore(t.TempDir())
	tg, err := newTarget(Registry{ID: "reg", URL: "https://charts.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range keptArchives + 1 {
		if err := s.put(tg, "app", fmt.Sprintf("1.0.%d", i), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.mem.Len(); n != keptArchives {
		t.Fatalf("%d archives in memory, want %d", n, keptArchives)
	}
	if s.mem.Contains(s.key(tg, "app", "1.0.0")) {
		t.Fatal("the least recently used archive stayed in memory")
	}
	if data, ok := s.get(tg, "app", "1.0.0"); !ok || string(data) != "0" {
		t.Fatalf("archive dropped from memory not answered from disk: %q, %v", data, ok)
	}
	if err := s.forget("reg/"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.get(tg, "app", "1.0.0"); ok || s.mem.Len() != 0 {
		t.Fatalf("after forget: %d in memory, 1.0.0 answered: %v", s.mem.Len(), ok)
	}
}
