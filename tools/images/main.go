// Command images builds oneko's api and worker images without a Docker engine (see
// internal/imagebuild) from a static oneko binary, and writes them as OCI layouts under
// -out or, with -repo, pushes them to <repo>/oneko-api:<version> and
// <repo>/oneko-worker:<version>. `make images` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/oneko/oneko/internal/imagebuild"
)

func main() {
	binary := flag.String("binary", "bin/images/oneko", "static oneko binary (CGO_ENABLED=0 GOOS=linux)")
	arch := flag.String("arch", runtime.GOARCH, "GOARCH the binary was built for")
	caCerts := flag.String("ca-certs", "/etc/ssl/certs/ca-certificates.crt", "PEM bundle of CA certificates to include")
	out := flag.String("out", "bin/images", "directory of the OCI layouts (one per image)")
	repo := flag.String("repo", "", "push to this repository prefix instead of writing layouts (IMAGE_REPO)")
	version := flag.String("version", "dev", "image version: the tag and the version label")
	revision := flag.String("revision", "", "VCS revision label")
	source := flag.String("source", "https://github.com/oneko/oneko", "source label")
	created := flag.Int64("created", 0, "creation time, Unix seconds (make images passes the commit's time)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *binary, *arch, *caCerts, *out, *repo, imagebuild.Inputs{
		Arch: *arch, Source: *source, Revision: *revision, Version: *version, Created: time.Unix(*created, 0),
	}); err != nil {
		fmt.Fprintln(os.Stderr, "images:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, binary, arch, caCerts, out, repo string, in imagebuild.Inputs) error {
	var err error
	if in.Binary, err = os.ReadFile(binary); err != nil {
		return fmt.Errorf("binary: %w", err)
	}
	if in.CACerts, err = os.ReadFile(caCerts); err != nil {
		return fmt.Errorf("CA certificates (install ca-certificates or pass -ca-certs): %w", err)
	}
	for _, spec := range imagebuild.Images() {
		img, err := imagebuild.Build(in, spec)
		if err != nil {
			return err
		}
		if repo != "" {
			ref := strings.TrimSuffix(repo, "/") + "/" + spec.Name + ":" + in.Version
			d, err := imagebuild.Push(ctx, ref, img)
			if err != nil {
				return err
			}
			fmt.Printf("pushed %s@%s\n", ref, d)
			continue
		}
		dir := filepath.Join(out, spec.Name)
		if err := imagebuild.WriteLayout(dir, img, in.Version); err != nil {
			return err
		}
		d, err := img.Digest()
		if err != nil {
			return err
		}
		fmt.Printf("wrote %s (OCI layout, %s, tag %s, %s)\n", dir, arch, in.Version, d)
	}
	return nil
}
