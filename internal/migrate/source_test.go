package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// TestSourceErrorsKeepTheirCause: a source error is ErrSource and still its cause, so that a
// caller can tell an unreachable host from an answer that is not JSON.
func TestSourceErrorsKeepTheirCause(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	notJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>Welcome to nginx</html>"))
	}))
	defer notJSON.Close()

	read := func(base string) error {
		src, err := NewSource(base, "admin", "x", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = src.Read(context.Background())
		return err
	}
	err := read(gone.URL)
	var ue *url.Error
	if !errors.Is(err, ErrSource) || !errors.As(err, &ue) {
		t.Errorf("unreachable host: err = %v, want ErrSource wrapping the *url.Error", err)
	}
	err = read(notJSON.URL)
	var se *json.SyntaxError
	if !errors.Is(err, ErrSource) || !errors.As(err, &se) {
		t.Errorf("not JSON: err = %v, want ErrSource wrapping the *json.SyntaxError", err)
	}
}
