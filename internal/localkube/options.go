package localkube

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// KubeVersion is the Kubernetes release whose programs this package runs. It names the
// cache folder that "make kube-bins" fills (see DefaultBinDir).
const KubeVersion = "v1.37.2"

// BinDirEnv is the environment variable that, when set, names the folder holding the
// control plane programs instead of DefaultBinDir.
const BinDirEnv = "ONEKO_KUBE_BIN_DIR"

// Defaults used by Start for Options fields left at their zero value.
const (
	DefaultNodes        = 3
	DefaultStartTimeout = 2 * time.Minute
	DefaultStopGrace    = 5 * time.Second
)

// Options configures Start. The zero value is ready to use.
type Options struct {
	// BinDir holds kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok.
	// Default: the environment variable ONEKO_KUBE_BIN_DIR, else DefaultBinDir().
	BinDir string

	// Nodes is the number of fake Nodes that kwok plays. Default: DefaultNodes.
	Nodes int

	// WorkDir is the folder under which the cluster makes its own temporary folder for
	// certificates, etcd data, kubeconfig and logs. Stop removes that folder, never WorkDir
	// itself. Default: os.TempDir().
	WorkDir string

	// Logger receives progress and unexpected process exits. Default: a discarding logger.
	Logger *slog.Logger

	// LogOutput, when set, also receives the output of every process, each line prefixed
	// with the component's name. The output is always kept in a file per component.
	LogOutput io.Writer

	// StartTimeout bounds the whole start when ctx has no earlier deadline.
	// Default: DefaultStartTimeout.
	StartTimeout time.Duration

	// StopGrace is how long Stop waits after SIGTERM before it sends SIGKILL.
	// Default: DefaultStopGrace.
	StopGrace time.Duration
}

// DefaultBinDir returns the folder that "make kube-bins" builds into:
// $XDG_CACHE_HOME/oneko/kube-<KubeVersion>, with $HOME/.cache when XDG_CACHE_HOME is unset.
func DefaultBinDir() (string, error) {
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the cache folder for the kube binaries: %w", err)
		}
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "oneko", "kube-"+KubeVersion), nil
}

// withDefaults returns a copy of o with every unset field given its default.
func (o Options) withDefaults() (Options, error) {
	if o.BinDir == "" {
		o.BinDir = os.Getenv(BinDirEnv)
	}
	if o.BinDir == "" {
		dir, err := DefaultBinDir()
		if err != nil {
			return o, err
		}
		o.BinDir = dir
	}
	if o.Nodes == 0 {
		o.Nodes = DefaultNodes
	}
	if o.Nodes < 0 {
		return o, fmt.Errorf("localkube options: Nodes is %d, want at least 0", o.Nodes)
	}
	if o.WorkDir == "" {
		o.WorkDir = os.TempDir()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.StopGrace <= 0 {
		o.StopGrace = DefaultStopGrace
	}
	return o, nil
}
