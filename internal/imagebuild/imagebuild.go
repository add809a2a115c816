// Package imagebuild assembles oneko's container images without a Docker engine, with
// go-containerregistry: a static oneko binary on an empty base, a non-root user, the CA
// certificates of the build machine and OCI labels. The images are written as OCI layouts
// or pushed to a registry. tools/images is its command (make images); the oneko binary does
// not include it.
package imagebuild

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// User is the numeric user and group the images run as (distroless's "nonroot").
const User = 65532

// BinaryPath is where the oneko binary is in the images.
const BinaryPath = "/oneko"

// OCI label keys the images carry.
const (
	LabelSource   = "org.opencontainers.image.source"
	LabelRevision = "org.opencontainers.image.revision"
	LabelVersion  = "org.opencontainers.image.version"
	LabelTitle    = "org.opencontainers.image.title"
	LabelCreated  = "org.opencontainers.image.created"
)

// Spec describes one image.
type Spec struct {
	// Name is the image's name, e.g. oneko-api; it is also its title label.
	Name string
	// Command is the oneko subcommand the image runs ("api" or "worker").
	Command string
	// Port is the port the process listens on (ONEKO_HTTP_ADDR=0.0.0.0:<port>).
	Port int
}

// Images returns the specs of oneko's two images.
func Images() []Spec {
	return []Spec{{Name: "oneko-api", Command: "api", Port: 8080}, {Name: "oneko-worker", Command: "worker", Port: 8080}}
}

// Inputs are what every image is made of.
type Inputs struct {
	// Binary is the oneko executable, built static (CGO_ENABLED=0) for Arch.
	Binary []byte
	// CACerts is a PEM bundle of CA certificates (usually /etc/ssl/certs/ca-certificates.crt).
	CACerts []byte
	// Arch is the GOARCH of Binary (the image's architecture).
	Arch string
	// Source, Revision and Version fill the OCI labels.
	Source, Revision, Version string
	// Created is the creation time of the images and of their files (for reproducible
	// images: the commit's time); the zero value means the Unix epoch.
	Created time.Time
}

// Build returns the image of spec. The two images share their layers: a base layer (the
// user's /etc/passwd and /etc/group entries, CA certificates, /tmp) and the binary.
func Build(in Inputs, spec Spec) (v1.Image, error) {
	if len(in.Binary) == 0 || len(in.CACerts) == 0 || in.Arch == "" {
		return nil, fmt.Errorf("image %s: binary, CA certificates and architecture are required", spec.Name)
	}
	created := in.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	created = created.UTC()
	base, err := layer(created, []file{
		{name: "etc/", dir: true, mode: 0o755},
		{name: "etc/passwd", mode: 0o644, data: fmt.Appendf(nil, "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:/home/nonroot:/sbin/nologin\n", User, User)},
		{name: "etc/group", mode: 0o644, data: fmt.Appendf(nil, "root:x:0:\nnonroot:x:%d:\n", User)},
		{name: "etc/ssl/", dir: true, mode: 0o755},
		{name: "etc/ssl/certs/", dir: true, mode: 0o755},
		{name: "etc/ssl/certs/ca-certificates.crt", mode: 0o644, data: in.CACerts},
		{name: "home/", dir: true, mode: 0o755},
		{name: "home/nonroot/", dir: true, mode: 0o700, uid: User},
		{name: "tmp/", dir: true, mode: 0o1777},
	})
	if err != nil {
		return nil, err
	}
	bin, err := layer(created, []file{{name: BinaryPath[1:], mode: 0o755, data: in.Binary}})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), base, bin)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", spec.Name, err)
	}
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", spec.Name, err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", in.Arch
	cf.Created = v1.Time{Time: created}
	cf.Config = v1.Config{
		Entrypoint:   []string{BinaryPath, spec.Command},
		User:         fmt.Sprintf("%d:%d", User, User),
		WorkingDir:   "/",
		Env:          []string{"PATH=/", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "HOME=/home/nonroot", fmt.Sprintf("ONEKO_HTTP_ADDR=0.0.0.0:%d", spec.Port)},
		ExposedPorts: map[string]struct{}{fmt.Sprintf("%d/tcp", spec.Port): {}},
		Labels: map[string]string{
			LabelSource: in.Source, LabelRevision: in.Revision, LabelVersion: in.Version,
			LabelTitle: spec.Name, LabelCreated: created.Format(time.RFC3339),
		},
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", spec.Name, err)
	}
	return img, nil
}

// file is one entry of a layer.
type file struct {
	name string
	dir  bool
	mode int64
	uid  int
	data []byte
}

// layer makes an OCI layer of files, owned by root unless a file says otherwise, all with
// the same modification time so that equal inputs give equal digests.
func layer(mtime time.Time, files []file) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	sort.SliceStable(files, func(i, j int) bool { return files[i].name < files[j].name })
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode, Uid: f.uid, Gid: f.uid, ModTime: mtime, Format: tar.FormatPAX}
		if f.dir {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(f.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("layer: %s: %w", f.name, err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, fmt.Errorf("layer: %s: %w", f.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	b := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	return l, nil
}

// ReadFile returns the contents of a regular file in an image's file system (the last layer
// that has it wins; whiteouts are not used by these images).
func ReadFile(img v1.Image, name string) ([]byte, *tar.Header, error) {
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, nil, fmt.Errorf("%s: %w", name, os.ErrNotExist)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read image: %w", err)
		}
		if h.Name == name || "/"+h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, nil, fmt.Errorf("read %s: %w", name, err)
			}
			return b, h, nil
		}
	}
}
