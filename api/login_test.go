package api_test

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/oneko/oneko/internal/model"
)

// passwordChecks reads oneko_login_password_checks_total from /metrics.
func (e *env) passwordChecks(t *testing.T) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^oneko_login_password_checks_total (\d+)`).FindSubmatch(e.do("GET", "/metrics", nil, anonymous).must(t, 200).body)
	if m == nil {
		t.Fatal("no oneko_login_password_checks_total in /metrics")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestParallelGuessesAreCountedFirst: 20 wrong passwords sent at once for one user with a limit
// of 5: exactly 5 are verified (401), the other 15 are refused with 429 without hashing.
func TestParallelGuessesAreCountedFirst(t *testing.T) {
	e := newEnv(t)
	before := e.passwordChecks(t)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.do("GET", "/api/v1/projects", nil, basic("doer", fmt.Sprintf("wrong-guess-%d", i)))
			mu.Lock()
			statuses[res.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[401] != 5 || statuses[429] != 15 {
		t.Fatalf("answers %v, want 5×401 and 15×429", statuses)
	}
	if n := e.passwordChecks(t) - before; n != 5 {
		t.Fatalf("%d passwords verified, want 5", n)
	}
}

// TestLoginNameSharesCounter: failures by username and by e-mail address count for one user.
func TestLoginNameSharesCounter(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 3; i++ {
		e.do("POST", "/api/v1/session", map[string]string{"username": "doer", "password": "wrong-password"}, anonymous).must(t, 401)
	}
	for i := 0; i < 2; i++ {
		e.do("POST", "/api/v1/session", map[string]string{"username": "doer@example.com", "password": "wrong-password"}, anonymous).must(t, 401)
	}
	res := e.do("GET", "/api/v1/projects", nil, basic("doer@example.com", testPassword)).must(t, 429)
	if res.header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	e.do("POST", "/api/v1/session", map[string]string{"username": "doer", "password": testPassword}, anonymous).must(t, 429)
	e.do("GET", "/api/v1/projects", nil, basic("viewer", testPassword)).must(t, 200)
}

// TestLoginAddressLimit: one client address gets 20 failures (the test server's limit) over
// any login names; successful sign-ins do not use it up.
func TestLoginAddressLimit(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 19; i++ {
		e.do("POST", "/api/v1/session", map[string]string{"username": fmt.Sprintf("nobody%d", i), "password": "wrong-password"}, anonymous).must(t, 401)
	}
	for i := 0; i < 5; i++ {
		e.do("GET", "/api/v1/projects", nil, basic("viewer", testPassword)).must(t, 200)
	}
	e.do("GET", "/api/v1/projects", nil, basic("admin", "wrong-password")).must(t, 401) // the 20th failure
	e.do("GET", "/api/v1/projects", nil, basic("viewer", testPassword)).must(t, 429)
	e.do("POST", "/api/v1/session", map[string]string{"username": "someone-new", "password": "any-password"}, anonymous).must(t, 429)
	// API tokens are no passwords: they still work from this address.
	e.do("GET", "/api/v1/projects", nil, e.as(model.RoleViewer)).must(t, 200)
}
