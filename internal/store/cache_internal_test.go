package store

import (
	"testing"
)

func TestLRUDropsLeastRecentlyUsed(t *testing.T) {
	c := newLRU[int](2)
	c.put("a", entry[int]{seq: 1, value: 1})
	c.put("b", entry[int]{seq: 2, value: 2})
	if _, ok := c.get("a"); !ok { // a is now the most recently used
		t.Fatal("a is missing")
	}
	c.put("c", entry[int]{seq: 3, value: 3})
	if _, ok := c.get("b"); ok {
		t.Fatal("b, the least recently used, was kept")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.get(k); !ok {
			t.Fatalf("%s was dropped", k)
		}
	}
	if c.len() != 2 {
		t.Fatalf("len = %d, want 2", c.len())
	}
}

func TestLRUKeepsTheEntryOfTheLaterCounterRead(t *testing.T) {
	c := newLRU[string](1)
	c.put("k", entry[string]{stamp: "new", seq: 5, value: "new"})
	c.put("k", entry[string]{stamp: "old", seq: 4, value: "old"})
	if e, _ := c.get("k"); e.value != "new" {
		t.Fatalf("value = %q, want new: a slower, older load replaced a newer one", e.value)
	}
	c.put("k", entry[string]{stamp: "newer", seq: 6, value: "newer"})
	if e, _ := c.get("k"); e.value != "newer" {
		t.Fatalf("value = %q, want newer", e.value)
	}
}

func TestPick(t *testing.T) {
	names := []string{"alpha", "beta", "alphabet", "gamma"}
	for _, tc := range []struct {
		name  string
		q     string
		page  Page
		want  []int
		total int64
	}{
		{"all", "", Page{}, []int{0, 1, 2, 3}, 4},
		{"limit and offset", "", Page{Limit: 2, Offset: 1}, []int{1, 2}, 4},
		{"query", "ALPHA", Page{}, []int{0, 2}, 2},
		{"query and offset", "alpha", Page{Offset: 1}, []int{2}, 2},
		{"negative offset", "", Page{Limit: 1, Offset: -3}, []int{0}, 4},
		{"past the end", "", Page{Offset: 9}, []int{}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := pick(names, tc.q, tc.page)
			if total != tc.total || len(got) != len(tc.want) {
				t.Fatalf("pick = %v, %d; want %v, %d", got, total, tc.want, tc.total)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("pick = %v, want %v", got, tc.want)
				}
			}
		})
	}
}
