package api

import "testing"

// TestFollowLimits: followed log streams are capped per user and in total; a released slot
// can be taken again.
func TestFollowLimits(t *testing.T) {
	f := &followLimits{perUser: map[string]int{}, maxUser: 2, maxAll: 3}
	a1, err := f.acquire("alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.acquire("alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acquire("alice"); err == nil || toProblem(err).Status != 429 {
		t.Fatalf("third follow of one user: %v", err)
	}
	if _, err := f.acquire("bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acquire("carol"); err == nil || toProblem(err).Status != 429 {
		t.Fatalf("follow over the total: %v", err)
	}
	a1()
	if _, err := f.acquire("carol"); err != nil {
		t.Fatalf("after a release: %v", err)
	}
}
