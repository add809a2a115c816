package registry

import (
	"errors"
	"net/http"
	"path/filepath"
	"testing"
)

// fuzzParse seeds the fuzzer with the fixtures of dir (every fixture for "*") and checks the
// invariants of Parse for format: it never panics, every error wraps ErrMalformed, and every
// result either has valid, distinct events or says why it has none.
func fuzzParse(f *testing.F, format Format, dir string) {
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		rel, _ := filepath.Rel("testdata", file)
		f.Add(readFixture(f, rel), "")
	}
	f.Add([]byte(`{"events":[{"action":"push","target":{"repository":"a","tag":"b"}}]}`), "")
	f.Add([]byte(`{"action":"published","package":{}}`), "package")
	f.Fuzz(func(t *testing.T, body []byte, githubEvent string) {
		header := http.Header{}
		if githubEvent != "" {
			header.Set("X-GitHub-Event", githubEvent)
		}
		res, err := Parse(format, body, header)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		if (len(res.Events) == 0) == (res.Ignored == "") {
			t.Fatalf("result with %d events and Ignored %q", len(res.Events), res.Ignored)
		}
		if format != FormatAuto && res.Format != format {
			t.Fatalf("Format = %q, want %q", res.Format, format)
		}
		seen := map[string]bool{}
		for _, e := range res.Events {
			if err := validateEvent(e); err != nil {
				t.Fatalf("invalid event %+v: %v", e, err)
			}
			if seen[e.Key()] {
				t.Fatalf("duplicate event %+v", e)
			}
			seen[e.Key()] = true
		}
	})
}

func FuzzParse(f *testing.F)             { fuzzParse(f, FormatAuto, "*") }
func FuzzParseHarbor(f *testing.F)       { fuzzParse(f, FormatHarbor, "harbor") }
func FuzzParseDockerHub(f *testing.F)    { fuzzParse(f, FormatDockerHub, "dockerhub") }
func FuzzParseDistribution(f *testing.F) { fuzzParse(f, FormatDistribution, "distribution") }
func FuzzParseQuay(f *testing.F)         { fuzzParse(f, FormatQuay, "quay") }
func FuzzParseGHCR(f *testing.F)         { fuzzParse(f, FormatGHCR, "ghcr") }
func FuzzParseACR(f *testing.F)          { fuzzParse(f, FormatACR, "acr") }
func FuzzParseGeneric(f *testing.F)      { fuzzParse(f, FormatGeneric, "generic") }
