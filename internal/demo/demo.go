package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"time"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
)

// Options configure Start.
type Options struct {
	// Dir is where the chart archive and index.yaml are written and served from; required.
	// It is created if needed.
	Dir string
	// RegistryAddr and ChartsAddr are the listen addresses of the container registry and of
	// the chart repository. Default "127.0.0.1:0": a free loopback port, a new one at every
	// start (Seed moves the stored URLs along).
	RegistryAddr, ChartsAddr string
	// Logger receives the errors of the two servers. Default: discarded.
	Logger *slog.Logger
}

// Demo is the running demo registry and chart repository.
type Demo struct {
	registry, charts *server
	images           []Image
}

// Start packages the demo chart into opts.Dir, starts the container registry and the chart
// repository, and pushes the demo image. ctx bounds the start only: the servers run until Stop.
func Start(ctx context.Context, opts Options) (*Demo, error) {
	if opts.Dir == "" {
		return nil, errors.New("start demo: no directory given")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := packageChart(opts.Dir); err != nil {
		return nil, fmt.Errorf("start demo: %w", err)
	}
	d := &Demo{}
	reg := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	var err error
	if d.registry, err = listen(ctx, "registry", orDefault(opts.RegistryAddr), reg, opts.Logger); err != nil {
		return nil, fmt.Errorf("start demo: %w", err)
	}
	if d.charts, err = listen(ctx, "charts", orDefault(opts.ChartsAddr), chartHandler(opts.Dir), opts.Logger); err != nil {
		d.Stop()
		return nil, fmt.Errorf("start demo: %w", err)
	}
	if d.images, err = pushImages(ctx, d.registry.host()); err != nil {
		d.Stop()
		return nil, fmt.Errorf("start demo: %w", err)
	}
	return d, nil
}

// RegistryURL is the base URL of the container registry, http://127.0.0.1:<port>.
func (d *Demo) RegistryURL() string { return d.registry.url() }

// ChartsURL is the URL of the chart repository, http://127.0.0.1:<port>.
func (d *Demo) ChartsURL() string { return d.charts.url() }

// Images lists the pushed tags of ImageName with their manifest digests, in the order of Tags.
func (d *Demo) Images() []Image { return append([]Image(nil), d.images...) }

// Stop closes both servers; requests in flight are cut off. It is safe to call more than once.
func (d *Demo) Stop() {
	for _, s := range []*server{d.registry, d.charts} {
		if s != nil {
			s.close()
		}
	}
}

// server is one HTTP server on its own listener.
type server struct {
	name string
	addr net.Addr
	srv  *http.Server
}

// listen serves h on addr until close.
func listen(ctx context.Context, name, addr string, h http.Handler, logger *slog.Logger) (*server, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for the demo %s on %s: %w", name, addr, err)
	}
	s := &server{name: name, addr: l.Addr(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("demo server stopped", "server", name, "error", err)
		}
	}()
	return s, nil
}

func (s *server) host() string { return s.addr.String() }
func (s *server) url() string  { return "http://" + s.addr.String() }
func (s *server) close()       { _ = s.srv.Close() }

func orDefault(addr string) string {
	if addr == "" {
		return "127.0.0.1:0"
	}
	return addr
}
