package imagebuild

import (
	"archive/tar"
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// buildOneko builds the real oneko binary the way make images does (static, stamped).
func buildOneko(t *testing.T, version, revision string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "oneko")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags",
		"-s -w -X main.buildVersion="+version+" -X main.buildRevision="+revision, "-o", out, "../../cmd/oneko")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build oneko: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestImages builds both images from the real binary and the machine's CA certificates,
// writes them as OCI layouts and pushes them to an in-process registry, inspects them
// (media types, entrypoint, user, labels, layers, files) and runs the binary taken out of
// an image.
func TestImages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the images are linux images; their binary is run by this test")
	}
	certs, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		t.Fatalf("CA certificates of the build machine: %v", err)
	}
	const version, revision = "v1.2.3-test", "0123456789abcdef0123456789abcdef01234567"
	in := Inputs{Binary: buildOneko(t, version, revision), CACerts: certs, Arch: runtime.GOARCH,
		Source: "https://github.com/oneko/oneko", Revision: revision, Version: version, Created: time.Unix(1764547200, 0)}

	reg := httptest.NewServer(registry.New())
	defer reg.Close()
	host := strings.TrimPrefix(reg.URL, "http://")
	dir := t.TempDir()
	var layerSets [][]v1.Hash
	for _, spec := range Images() {
		img, err := Build(in, spec)
		if err != nil {
			t.Fatal(err)
		}
		// Through an OCI layout, as make images writes it.
		if err := WriteLayout(filepath.Join(dir, spec.Name), img, version); err != nil {
			t.Fatal(err)
		}
		got, tag, err := ReadLayout(filepath.Join(dir, spec.Name))
		if err != nil {
			t.Fatal(err)
		}
		if tag != version {
			t.Errorf("%s: layout tag %q, want %q", spec.Name, tag, version)
		}
		layerSets = append(layerSets, inspect(t, got, spec, in))

		// Through a registry, as make images IMAGE_REPO=... pushes it.
		ref := host + "/team/" + spec.Name + ":" + version
		pushed, err := Push(t.Context(), ref, img)
		if err != nil {
			t.Fatal(err)
		}
		r, err := name.ParseReference(ref, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		pulled, err := remote.Image(r)
		if err != nil {
			t.Fatalf("pull %s: %v", ref, err)
		}
		if d, _ := pulled.Digest(); d != pushed {
			t.Errorf("%s: pulled %s, pushed %s", ref, d, pushed)
		}
		if want, _ := got.Digest(); want != pushed {
			t.Errorf("%s: layout %s and registry %s differ", spec.Name, want, pushed)
		}
	}
	if !slices.Equal(layerSets[0], layerSets[1]) {
		t.Errorf("the api and worker images do not share their layers: %v / %v", layerSets[0], layerSets[1])
	}
	// Same inputs, same image: the build is reproducible.
	a, _ := Build(in, Images()[0])
	b, _ := Build(in, Images()[0])
	if da, _ := a.Digest(); func() bool { db, _ := b.Digest(); return da != db }() {
		t.Errorf("two builds of the same inputs differ")
	}
}

// inspect checks one image and runs its binary; it returns the layer digests.
func inspect(t *testing.T, img v1.Image, spec Spec, in Inputs) []v1.Hash {
	t.Helper()
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("%s: manifest media type %s, want OCI", spec.Name, mt)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if !slices.Equal(c.Entrypoint, []string{"/oneko", spec.Command}) {
		t.Errorf("%s: entrypoint %v", spec.Name, c.Entrypoint)
	}
	if c.User != "65532:65532" {
		t.Errorf("%s: user %q, want 65532:65532 (non-root)", spec.Name, c.User)
	}
	if cf.OS != "linux" || cf.Architecture != in.Arch {
		t.Errorf("%s: platform %s/%s", spec.Name, cf.OS, cf.Architecture)
	}
	for k, v := range map[string]string{LabelSource: in.Source, LabelRevision: in.Revision, LabelVersion: in.Version, LabelTitle: spec.Name} {
		if c.Labels[k] != v {
			t.Errorf("%s: label %s = %q, want %q", spec.Name, k, c.Labels[k], v)
		}
	}
	if !slices.Contains(c.Env, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt") || !slices.Contains(c.Env, "ONEKO_HTTP_ADDR=0.0.0.0:8080") {
		t.Errorf("%s: env %v", spec.Name, c.Env)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var digests []v1.Hash
	for _, l := range layers {
		if mt, _ := l.MediaType(); mt != types.OCILayer {
			t.Errorf("%s: layer media type %s", spec.Name, mt)
		}
		d, _ := l.Digest()
		digests = append(digests, d)
	}
	if len(layers) != 2 {
		t.Errorf("%s: %d layers, want 2 (base files, binary)", spec.Name, len(layers))
	}

	// Files: the CA bundle, the user, and the binary (executable, owned by root).
	if b, _, err := ReadFile(img, "/etc/ssl/certs/ca-certificates.crt"); err != nil || !bytes.Equal(b, in.CACerts) {
		t.Errorf("%s: CA certificates differ from the build machine's (%v)", spec.Name, err)
	}
	if b, _, err := ReadFile(img, "/etc/passwd"); err != nil || !strings.Contains(string(b), "nonroot:x:65532:65532:") {
		t.Errorf("%s: /etc/passwd %q (%v)", spec.Name, b, err)
	}
	bin, h, err := ReadFile(img, "/oneko")
	if err != nil {
		t.Fatal(err)
	}
	if h.Typeflag != tar.TypeReg || h.Mode&0o111 == 0 || h.Mode&0o022 != 0 || h.Uid != 0 {
		t.Errorf("%s: /oneko mode %o uid %d, want root-owned and not writable by others", spec.Name, h.Mode, h.Uid)
	}

	// The binary out of the image runs and knows its version; it is static.
	path := filepath.Join(t.TempDir(), "oneko")
	if err := os.WriteFile(path, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s: oneko version: %v\n%s", spec.Name, err, out)
	}
	if !strings.Contains(string(out), "oneko "+in.Version+" revision "+in.Revision) {
		t.Errorf("%s: oneko version printed %q", spec.Name, out)
	}
	if out, _ := exec.Command(path, "--help").CombinedOutput(); !strings.Contains(string(out), "oneko "+spec.Command) {
		t.Errorf("%s: oneko --help does not list %q: %s", spec.Name, spec.Command, out)
	}
	if bytes.Contains(bin, []byte("/lib64/ld-linux")) || bytes.Contains(bin, []byte("/lib/ld-linux")) {
		t.Errorf("%s: the binary names a dynamic loader; want a static binary", spec.Name)
	}
	return digests
}
