package demo

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// ImageName is the repository of the demo image in the demo registry.
const ImageName = "demo/hello"

// Image is one pushed tag of the demo image.
type Image struct {
	Tag    string
	Digest string // the manifest digest, sha256:…
}

// Tags returns the tags the demo image is pushed with: two releases and latest, which is the
// same image as the newest release.
func Tags() []string { return []string{"1.0.0", "1.1.0", "latest"} }

// imageCreated is the creation time written into every demo image, so that the same tag has
// the same digest at every start.
func imageCreated() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }

// pushImages pushes every tag of the demo image to the registry at host.
func pushImages(ctx context.Context, host string) ([]Image, error) {
	var out []Image
	for _, tag := range Tags() {
		release := tag
		if tag == "latest" {
			release = "1.1.0"
		}
		img, err := buildImage(release)
		if err != nil {
			return nil, fmt.Errorf("build image %s:%s: %w", ImageName, tag, err)
		}
		ref, err := name.NewTag(host+"/"+ImageName+":"+tag, name.Insecure)
		if err != nil {
			return nil, fmt.Errorf("push image %s:%s: %w", ImageName, tag, err)
		}
		if err := remote.Write(ref, img, remote.WithContext(ctx)); err != nil {
			return nil, fmt.Errorf("push image %s: %w", ref, err)
		}
		d, err := img.Digest()
		if err != nil {
			return nil, fmt.Errorf("digest of image %s: %w", ref, err)
		}
		out = append(out, Image{Tag: tag, Digest: d.String()})
	}
	return out, nil
}

// buildImage returns a small OCI image of one release: one layer holding /hello.txt, and a
// configuration naming the release. Nothing in it is random or time-dependent, so its digest
// is the same at every start.
func buildImage(release string) (v1.Image, error) {
	layer, err := helloLayer("hello from the oneko demo, version " + release + "\n")
	if err != nil {
		return nil, err
	}
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.AppendLayers(base, layer)
	if err != nil {
		return nil, fmt.Errorf("add layer: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: imageCreated()}
	cf.Config.Cmd = []string{"/bin/cat", "/hello.txt"}
	cf.Config.ExposedPorts = map[string]struct{}{"8080/tcp": {}}
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.title":   "hello",
		"org.opencontainers.image.version": release,
		"org.opencontainers.image.source":  "oneko demo",
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("set config: %w", err)
	}
	return img, nil
}

// helloLayer is an uncompressed tar layer with one file, /hello.txt.
func helloLayer(content string) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: "hello.txt", Mode: 0o644, Size: int64(len(content)), ModTime: imageCreated(), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, fmt.Errorf("write layer: %w", err)
	}
	if _, err := tw.Write([]byte(content)); err != nil {
		return nil, fmt.Errorf("write layer: %w", err)
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("write layer: %w", err)
	}
	return static.NewLayer(buf.Bytes(), types.OCIUncompressedLayer), nil
}
