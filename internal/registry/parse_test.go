package registry

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Digests used by the fixtures under testdata.
const (
	dSample       = "sha256:c6eb8f7c0543a4704d9d7e63cdc4ed9de5d9fe1562d746e39673c484ce0e3393"
	dHarborSample = "sha256:5b0c1f3a9d0e4c6b8a7f2e1d3c4b5a69788766554433221100ffeeddccbbaa99"
	dACRSample    = "sha256:80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d"
	dGHCRSample   = "sha256:7d38b3e1d5c1a0b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0"
	d1            = "sha256:16f0b81375b88d0f9750a1d6b7626f0ef307060ca9809cef2b53b47a8d060996"
	d2            = "sha256:c6e13ccec6f36419e33679139b3389b580dd6772e0f879adb3bc7643b3c51fca"
	d3            = "sha256:8e2adaad931bd44ce9daa50417e655c94e14c0688ab7b945c0e00fb78307ab2a"
	d4            = "sha256:0f6321176455cd84851c4058bac7dd515d1821e56c40d4a74d56f9715739a82a"
	d5            = "sha256:86e7ced5e7993da58797fe0bd3bb674c18c42fd1b9c1e2ae1c9214522a94a170"
	d6            = "sha256:9b489967fb4487d49e9535ae5a5b551ada66dc5ab6e1241ec2379da9a97ff915"
)

// fixtureCase is one payload under testdata and what Parse must make of it.
type fixtureCase struct {
	file    string // <format>/<name>.json
	format  Format
	header  http.Header
	events  []Event
	ignored string // a substring of ParseResult.Ignored; "" when events are expected
}

func push(host, repo, tag, digest, delivery string) Event {
	return Event{Action: ActionPush, Host: host, Repository: repo, Tag: tag, Digest: digest, DeliveryID: delivery}
}

func del(host, repo, tag, digest, delivery string) Event {
	return Event{Action: ActionDelete, Host: host, Repository: repo, Tag: tag, Digest: digest, DeliveryID: delivery}
}

func githubHeader(event, delivery string) http.Header {
	return http.Header{"X-Github-Event": {event}, "X-Github-Delivery": {delivery}}
}

var fixtureCases = map[string]fixtureCase{
	// Harbor
	"harbor shared sample": {file: "harbor/push-artifact.json", format: FormatHarbor,
		events: []Event{push("harbor.example.com", "shop/web", "feature-login", dHarborSample, "")}},
	"harbor several tags and a duplicate resource": {file: "harbor/push-multiple-tags.json", format: FormatHarbor,
		events: []Event{push("harbor.example.com", "shop/api", "1.4.0", d1, ""), push("harbor.example.com", "shop/api", "latest", d1, "")}},
	"harbor 1.x pushImage": {file: "harbor/push-image-v1.json", format: FormatHarbor,
		events: []Event{push("harbor.example.com:8443", "shop/web", "v2", d2, "")}},
	"harbor delete artifact": {file: "harbor/delete-artifact.json", format: FormatHarbor,
		events: []Event{del("harbor.example.com", "shop/web", "feature-old", d3, "")}},
	"harbor pull is ignored":    {file: "harbor/pull-artifact.json", format: FormatHarbor, ignored: "PULL_ARTIFACT"},
	"harbor scan is ignored":    {file: "harbor/scanning-completed.json", format: FormatHarbor, ignored: "SCANNING_COMPLETED"},
	"harbor push without a tag": {file: "harbor/push-without-tag.json", format: FormatHarbor, ignored: "without a tag"},
	// Harbor's documented push of an untagged artifact puts the digest in "tag": ignored, and
	// an untagged resource beside a tagged one does not cost the tagged one.
	"harbor untagged artifact with the digest as tag": {file: "harbor/push-untagged-digest-as-tag.json", format: FormatHarbor, ignored: "without a tag"},
	"harbor tagged and untagged artifacts": {file: "harbor/push-tagged-and-untagged.json", format: FormatHarbor,
		events: []Event{push("harbor.example.com", "shop/web", "2.0", d6, "")}},
	"harbor cloudevents push": {file: "harbor/cloudevents-push.json", format: FormatHarbor,
		events: []Event{push("harbor.example.com", "shop/web", "feature-cart", d4, "66f0e3a4-2b1f-4e2b-8f5b-0a9c7d3e1b22")}},

	// Docker Hub
	"dockerhub shared sample": {file: "dockerhub/push.json", format: FormatDockerHub,
		events: []Event{push("docker.io", "acme/web", "feature-login", "", "")}},
	"dockerhub official image is normalised": {file: "dockerhub/official-image.json", format: FormatDockerHub,
		events: []Event{push("docker.io", "library/nginx", "1.27-alpine", "", "")}},
	"dockerhub full legacy payload": {file: "dockerhub/full-legacy.json", format: FormatDockerHub,
		events: []Event{push("docker.io", "acme/worker", "latest", "", "")}},

	// Distribution and GitLab
	"distribution shared sample": {file: "distribution/manifest-push.json", format: FormatDistribution,
		events: []Event{push("registry.example.com:5000", "team/app", "feature-x", dSample, "9400cc03-1937-4214-a498-0c0df69033d6")}},
	"distribution multi-arch storm": {file: "distribution/multi-arch-push.json", format: FormatDistribution,
		events: []Event{push("registry.example.com:5000", "team/app", "2.0.0", d1, "5790f82e-c1d3-4cff-aa3a-f4d46b0a18e8")}},
	"distribution pulls are ignored":        {file: "distribution/pull.json", format: FormatDistribution, ignored: "pull"},
	"distribution layer pushes are ignored": {file: "distribution/layer-push.json", format: FormatDistribution, ignored: "blob push"},
	"distribution tag delete": {file: "distribution/tag-delete.json", format: FormatDistribution,
		events: []Event{del("registry.example.com:5000", "team/app", "feature-x", d4, "9531985d-5d9d-49f8-9818-e811892f902b")}},
	"distribution manifest delete without a tag": {file: "distribution/manifest-delete.json", format: FormatDistribution, ignored: "delete without a tag"},
	"distribution several tags and a config blob": {file: "distribution/several-tags.json", format: FormatDistribution,
		events: []Event{
			push("registry.example.com:5000", "team/api", "3.1.0", d2, "0fd630f1-f29d-4da9-953f-48f1a09f76b5"),
			push("registry.example.com:5000", "team/api", "stable", d2, "8e81973e-0bec-47b0-b898-d190f9ebdacc"),
		}},
	"gitlab container registry": {file: "distribution/gitlab-push.json", format: FormatDistribution,
		header: http.Header{"Content-Type": {"application/vnd.docker.distribution.events.v1+json"}},
		events: []Event{push("registry.gitlab.example.com", "group/project/frontend", "mr-118", d4, "5c1a0b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d")}},

	// Quay
	"quay shared sample": {file: "quay/push.json", format: FormatQuay,
		events: []Event{push("quay.io", "acme/web", "feature-login", "", "")}},
	"quay several tags on a self-hosted quay": {file: "quay/push-several-tags.json", format: FormatQuay,
		events: []Event{
			push("quay.example.com", "finance/billing", "1.2.0", "", ""),
			push("quay.example.com", "finance/billing", "latest", "", ""),
			push("quay.example.com", "finance/billing", "stable", "", ""),
		}},
	"quay legacy updated_tags object": {file: "quay/legacy-updated-tags-object.json", format: FormatQuay,
		events: []Event{push("quay.io", "devtable/ubuntu", "22.04", "", ""), push("quay.io", "devtable/ubuntu", "latest", "", "")}},
	"quay build notification is ignored":         {file: "quay/build-success.json", format: FormatQuay, ignored: "build"},
	"quay vulnerability notification is ignored": {file: "quay/vulnerability-found.json", format: FormatQuay, ignored: "not a repository push"},

	// GHCR
	"ghcr shared sample": {file: "ghcr/package-published.json", format: FormatGHCR,
		header: githubHeader("package", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
		events: []Event{push("ghcr.io", "acme/web", "feature-login", dGHCRSample, "72d3162e-cc78-11e3-81ab-4c9367dc0958")}},
	"ghcr full payload": {file: "ghcr/package-published-full.json", format: FormatGHCR,
		header: githubHeader("package", "d1b2c3a4-0000-11ef-8000-000000000001"),
		events: []Event{push("ghcr.io", "acme-shop/checkout", "1.3.0", d2, "d1b2c3a4-0000-11ef-8000-000000000001")}},
	"ghcr untagged platform manifest is ignored": {file: "ghcr/multi-arch-untagged.json", format: FormatGHCR,
		header: githubHeader("package", "d1b2c3a4-0000-11ef-8000-000000000002"), ignored: "without a tag"},
	"ghcr updated with several tags": {file: "ghcr/package-updated-tags.json", format: FormatGHCR,
		header: githubHeader("package", "d1b2c3a4-0000-11ef-8000-000000000003"),
		events: []Event{
			push("ghcr.io", "acme-shop/tools/migrate", "2.1.0", d4, "d1b2c3a4-0000-11ef-8000-000000000003"),
			push("ghcr.io", "acme-shop/tools/migrate", "2.1", d4, "d1b2c3a4-0000-11ef-8000-000000000003"),
			push("ghcr.io", "acme-shop/tools/migrate", "latest", d4, "d1b2c3a4-0000-11ef-8000-000000000003"),
		}},
	"ghcr npm package is ignored": {file: "ghcr/npm-package.json", format: FormatGHCR,
		header: githubHeader("package", "d1b2c3a4-0000-11ef-8000-000000000004"), ignored: "not a container package"},
	"ghcr ping is ignored": {file: "ghcr/ping.json", format: FormatGHCR,
		header: githubHeader("ping", "d1b2c3a4-0000-11ef-8000-000000000005"), ignored: "ping"},
	"ghcr older registry_package event": {file: "ghcr/registry-package-published.json", format: FormatGHCR,
		header: githubHeader("registry_package", "d1b2c3a4-0000-11ef-8000-000000000006"),
		events: []Event{push("ghcr.io", "acme-shop/checkout", "pr-77", d5, "d1b2c3a4-0000-11ef-8000-000000000006")}},

	// ACR
	"acr shared sample": {file: "acr/push.json", format: FormatACR,
		events: []Event{push("acme.azurecr.io", "web", "feature-login", dACRSample, "cb8c3971-9adc-488b-xxxx-43cbb4974ff5")}},
	"acr multi-arch push": {file: "acr/push-multi-arch.json", format: FormatACR,
		events: []Event{push("acme.azurecr.io", "platform/gateway", "2.0.0", d6, "5f0b7a12-4c3d-4e5f-9a8b-7c6d5e4f3a21")}},
	"acr manifest delete is ignored": {file: "acr/delete-manifest.json", format: FormatACR, ignored: "delete without a tag"},
	"acr tag delete": {file: "acr/delete-tag.json", format: FormatACR,
		events: []Event{del("acme.azurecr.io", "web", "feature-old", d4, "0d799b14-404b-4859-b2f6-50c5ee2a2c3a")}},
	"acr chart push is ignored": {file: "acr/chart-push.json", format: FormatACR, ignored: "chart_push"},

	// generic
	"generic shared sample": {file: "generic/push.json", format: FormatGeneric,
		events: []Event{push("registry.example.com:5000", "team/app", "feature-x", dSample, "")}},
	"generic without digest": {file: "generic/no-digest.json", format: FormatGeneric,
		events: []Event{push("registry.example.com", "team/app", "1.2.3", "", "")}},
	"generic delete": {file: "generic/delete.json", format: FormatGeneric,
		events: []Event{del("registry.example.com:5000", "team/app", "feature-x", "", "")}},
	"generic image carrying its tag": {file: "generic/image-with-tag.json", format: FormatGeneric,
		events: []Event{push("localhost:5000", "team/app", "pr-42", "", "")}},
	"generic docker hub official image": {file: "generic/docker-hub-official.json", format: FormatGeneric,
		events: []Event{push("docker.io", "library/nginx", "1.27", "", "")}},
}

func readFixture(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// TestParseFixtures parses every fixture with its format and with detection; both must give
// the expected events.
func TestParseFixtures(t *testing.T) {
	for name, tc := range fixtureCases {
		t.Run(name, func(t *testing.T) {
			body := readFixture(t, tc.file)
			for _, format := range []Format{tc.format, FormatAuto} {
				got, err := Parse(format, body, tc.header)
				if err != nil {
					t.Fatalf("Parse(%s): %v", format, err)
				}
				if got.Format != tc.format {
					t.Errorf("Parse(%s).Format = %q, want %q", format, got.Format, tc.format)
				}
				if !reflect.DeepEqual(got.Events, tc.events) {
					t.Errorf("Parse(%s).Events =\n%+v\nwant\n%+v", format, got.Events, tc.events)
				}
				switch {
				case tc.ignored == "" && got.Ignored != "":
					t.Errorf("Parse(%s).Ignored = %q, want none", format, got.Ignored)
				case tc.ignored != "" && !strings.Contains(got.Ignored, tc.ignored):
					t.Errorf("Parse(%s).Ignored = %q, want it to mention %q", format, got.Ignored, tc.ignored)
				}
			}
		})
	}
}

// TestEveryFixtureHasACase keeps the table and the testdata folder in step.
func TestEveryFixtureHasACase(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, tc := range fixtureCases {
		covered[tc.file] = true
	}
	for _, f := range files {
		rel, _ := filepath.Rel("testdata", f)
		if !covered[filepath.ToSlash(rel)] {
			t.Errorf("fixture %s has no case in fixtureCases", rel)
		}
	}
	for _, format := range Formats()[1:] {
		if n, _ := filepath.Glob(filepath.Join("testdata", string(format), "*.json")); len(n) < 3 {
			t.Errorf("format %s has %d fixtures, want at least 3", format, len(n))
		}
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		body   string
	}{
		{name: "not JSON", format: FormatAuto, body: `<html>`},
		{name: "JSON array", format: FormatAuto, body: `[]`},
		{name: "JSON null", format: FormatHarbor, body: `null`},
		{name: "empty body", format: FormatGeneric, body: ``},
		{name: "unknown shape", format: FormatAuto, body: `{"hello": "world"}`},
		{name: "harbor without event data", format: FormatHarbor, body: `{"type": "PUSH_ARTIFACT"}`},
		{name: "dockerhub body given to harbor", format: FormatHarbor, body: `{"push_data": {"tag": "x"}, "repository": {"repo_name": "a/b"}}`},
		{name: "dockerhub without repository", format: FormatDockerHub, body: `{"push_data": {"tag": "x"}}`},
		{name: "dockerhub uppercase repository", format: FormatDockerHub, body: `{"push_data": {"tag": "x"}, "repository": {"repo_name": "Acme/Web"}}`},
		{name: "distribution without events", format: FormatDistribution, body: `{"event": []}`},
		{name: "distribution events not a list", format: FormatDistribution, body: `{"events": {"a": 1}}`},
		{name: "distribution invalid tag", format: FormatDistribution, body: `{"events": [{"action": "push", "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "repository": "team/app", "tag": "-bad"}}]}`},
		{name: "distribution invalid digest", format: FormatDistribution, body: `{"events": [{"action": "push", "target": {"repository": "team/app", "tag": "v1", "digest": "sha256:abc"}}]}`},
		{name: "distribution path traversal in repository", format: FormatDistribution, body: `{"events": [{"action": "push", "target": {"repository": "../etc", "tag": "v1"}}]}`},
		{name: "quay without repository", format: FormatQuay, body: `{"updated_tags": ["a"]}`},
		{name: "quay updated_tags of numbers", format: FormatQuay, body: `{"repository": "a/b", "updated_tags": 5}`},
		{name: "ghcr without package", format: FormatGHCR, body: `{"action": "published"}`},
		{name: "ghcr without version", format: FormatGHCR, body: `{"action": "published", "package": {"name": "web", "package_type": "CONTAINER", "owner": {"login": "acme"}}}`},
		{name: "acr without target", format: FormatACR, body: `{"action": "push"}`},
		{name: "acr tag too long", format: FormatACR, body: `{"action": "push", "target": {"repository": "web", "tag": "` + strings.Repeat("a", 129) + `"}}`},
		{name: "generic without image", format: FormatGeneric, body: `{"tag": "1.0"}`},
		{name: "generic without tag", format: FormatGeneric, body: `{"image": "registry.example.com/team/app"}`},
		{name: "generic unknown action", format: FormatGeneric, body: `{"image": "r.example.com/a", "tag": "1", "action": "explode"}`},
		{name: "generic tags disagree", format: FormatGeneric, body: `{"image": "r.example.com/a:1", "tag": "2"}`},
		{name: "generic bad host", format: FormatGeneric, body: `{"image": "bad_host.example.com/a", "tag": "2"}`},
		{name: "distribution host does not excuse a bad repository", format: FormatDistribution, body: `{"events": [{"action": "push", "target": {"repository": "Team/App", "tag": "v1"}, "request": {"host": "registry_1:5000"}}]}`},
		{name: "generic wrong field type", format: FormatGeneric, body: `{"image": 42, "tag": "2"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse(tt.format, []byte(tt.body), nil)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse() = %+v, %v; want an error wrapping ErrMalformed", res, err)
			}
		})
	}
}

// TestParseOddSenderHost: a host the registry reports about itself only informs; an invalid one
// is dropped rather than failing a push the registry would then retry forever.
func TestParseOddSenderHost(t *testing.T) {
	body := `{"events": [{"id": "x1", "action": "push", "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "repository": "team/app", "tag": "v1", "digest": "` + d1 + `"}, "request": {"host": "registry_1:5000"}}]}`
	got, err := Parse(FormatDistribution, []byte(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{push("", "team/app", "v1", d1, "x1")}
	if !reflect.DeepEqual(got.Events, want) {
		t.Errorf("Events = %+v, want %+v", got.Events, want)
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{in: "auto", want: FormatAuto},
		{in: " Harbor ", want: FormatHarbor},
		{in: "DOCKERHUB", want: FormatDockerHub},
		{in: "distribution", want: FormatDistribution},
		{in: "quay", want: FormatQuay},
		{in: "ghcr", want: FormatGHCR},
		{in: "acr", want: FormatACR},
		{in: "generic", want: FormatGeneric},
		{in: "", wantErr: true},
		{in: "gitlab", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
	if n := len(Formats()); n != 8 {
		t.Errorf("len(Formats()) = %d, want 8", n)
	}
}

func TestEventKey(t *testing.T) {
	a := push("r.example.com", "team/app", "1.0", d1, "delivery-1")
	b := push("r.example.com", "team/app", "1.0", d1, "delivery-2")
	if a.Key() != b.Key() {
		t.Errorf("keys of a redelivery differ: %q vs %q", a.Key(), b.Key())
	}
	if want := "push|team/app|1.0|" + d1; a.Key() != want {
		t.Errorf("Key() = %q, want %q", a.Key(), want)
	}
	if c := del("r.example.com", "team/app", "1.0", d1, ""); c.Key() == a.Key() {
		t.Error("a delete has the key of a push")
	}
}

func TestNormalizeRepository(t *testing.T) {
	tests := []struct{ host, repo, want string }{
		{"docker.io", "nginx", "library/nginx"},
		{"index.docker.io", "nginx", "library/nginx"},
		{"docker.io", "library/nginx", "library/nginx"},
		{"docker.io", "acme/web", "acme/web"},
		{"ghcr.io", "web", "web"},
		{"", "nginx", "nginx"},
	}
	for _, tt := range tests {
		if got := NormalizeRepository(tt.host, tt.repo); got != tt.want {
			t.Errorf("NormalizeRepository(%q, %q) = %q, want %q", tt.host, tt.repo, got, tt.want)
		}
	}
}
