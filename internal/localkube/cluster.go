package localkube

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Cluster is a running local control plane. Its methods are safe for concurrent use.
type Cluster struct {
	opts       Options
	dir        string // the cluster's own folder, removed by Stop
	creds      *credentials
	ports      ports
	config     *rest.Config
	kubeconfig []byte
	kubePath   string
	logs       *containerLogs // the log kwok serves for every container
	logsConfig string         // kwok's ClusterLogs configuration

	mu    sync.Mutex
	procs []*process // in start order

	stopOnce sync.Once
	stopErr  error
}

// Start runs etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok with
// opts.Nodes fake Nodes, and returns once the API server is ready, every Node is Ready,
// the scheduler is healthy and the controller-manager has made the default
// ServiceAccount. ctx bounds the start only: the cluster runs until Stop.
//
// On failure Start stops whatever it started and returns an error that names the
// component that failed and shows the end of its log. When a program is missing the
// error wraps ErrBinariesMissing.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkBinaries(opts.BinDir); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.StartTimeout)
	defer cancel()

	begin := time.Now()
	if err := os.MkdirAll(opts.WorkDir, 0o755); err != nil {
		return nil, fmt.Errorf("localkube: make work folder: %w", err)
	}
	removeStale(opts.WorkDir, opts.Logger)
	dir, err := os.MkdirTemp(opts.WorkDir, dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("localkube: make cluster folder: %w", err)
	}
	c := &Cluster{opts: opts, dir: dir}
	started := false
	defer func() {
		if !started {
			_ = c.Stop()
		}
	}()
	if err := writeOwner(dir); err != nil {
		return nil, fmt.Errorf("localkube: record owner of cluster folder: %w", err)
	}

	if err := c.writeFiles(); err != nil {
		return nil, err
	}
	apiserver, err := c.startServers(ctx)
	if err != nil {
		return nil, err
	}
	c.opts.Logger.Debug("localkube kube-apiserver ready", "after", time.Since(begin))
	nodes, err := c.startClients(ctx, apiserver)
	if err != nil {
		return nil, err
	}

	started = true
	for _, p := range c.processes() {
		p.running.Store(true)
	}
	c.opts.Logger.Info("localkube cluster ready", "after", time.Since(begin).Round(time.Millisecond),
		"server", c.config.Host, "nodes", nodes, "dir", dir)
	return c, nil
}

// writeFiles picks the ports and writes the credentials, the kubeconfig and kwok's
// stages into the cluster's folder.
func (c *Cluster) writeFiles() error {
	var err error
	if c.ports, err = pickPorts(); err != nil {
		return err
	}
	if c.creds, err = writeCredentials(c.dir); err != nil {
		return fmt.Errorf("localkube: %w", err)
	}
	c.config = c.restConfig()
	if c.kubeconfig, err = kubeconfigFor(c.config); err != nil {
		return err
	}
	c.kubePath = filepath.Join(c.dir, "kubeconfig")
	if err := os.WriteFile(c.kubePath, c.kubeconfig, 0o600); err != nil {
		return fmt.Errorf("localkube: write kubeconfig: %w", err)
	}
	if err := os.WriteFile(c.stagesPath(), kwokStages(), 0o600); err != nil {
		return fmt.Errorf("localkube: write kwok stages: %w", err)
	}
	if c.logs, c.logsConfig, err = writeLogs(c.dir); err != nil {
		return err
	}
	c.logs.run()
	return nil
}

// stagesPath is where writeFiles puts kwok's stages.
func (c *Cluster) stagesPath() string { return filepath.Join(c.dir, "kwok-stages.yaml") }

// startServers starts etcd, then the API server, and waits until the API server is
// ready. It returns the API server's process.
func (c *Cluster) startServers(ctx context.Context) (*process, error) {
	etcd, err := c.run(binEtcd, c.etcdArgs())
	if err != nil {
		return nil, err
	}
	if err := waitFor(ctx, etcd, "etcd /health", httpOK(plainClient(), c.ports.etcdURL()+"/health")); err != nil {
		return nil, err
	}
	apiserver, err := c.run(binAPIServer, c.apiserverArgs())
	if err != nil {
		return nil, err
	}
	readyz := "https://127.0.0.1:" + strconv.Itoa(c.ports.apiserver) + "/readyz"
	if err := waitFor(ctx, apiserver, "kube-apiserver /readyz", httpOK(c.apiClient(), readyz)); err != nil {
		return nil, err
	}
	return apiserver, nil
}

// startClients registers the fake Nodes, starts the controller-manager, the scheduler
// and kwok together, and waits until each has shown it works. It returns the number of
// Nodes.
func (c *Cluster) startClients(ctx context.Context, apiserver *process) (int, error) {
	client, err := kubernetes.NewForConfig(c.config)
	if err != nil {
		return 0, fmt.Errorf("localkube: make client: %w", err)
	}
	names, err := createNodes(ctx, client, c.opts.Nodes)
	if err != nil {
		return 0, apiserver.failure(err)
	}

	cm, err := c.run(binControllerManager, c.controllerManagerArgs())
	if err != nil {
		return 0, err
	}
	sched, err := c.run(binScheduler, c.schedulerArgs())
	if err != nil {
		return 0, err
	}
	kwok, err := c.run(binKwok, c.kwokArgs(c.stagesPath(), c.logsConfig))
	if err != nil {
		return 0, err
	}

	schedHealthz := "https://127.0.0.1:" + strconv.Itoa(c.ports.scheduler) + "/healthz"
	waits := []struct {
		p     *process
		what  string
		check func(context.Context) error
	}{
		{sched, "kube-scheduler /healthz", httpOK(insecureClient(), schedHealthz)},
		{cm, "the default ServiceAccount", defaultServiceAccount(client)},
		{kwok, "Ready Nodes", nodesReady(client, names)},
	}
	errs := make([]error, len(waits))
	var wg sync.WaitGroup
	for i, w := range waits {
		wg.Go(func() { errs[i] = waitFor(ctx, w.p, w.what, w.check) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	return len(names), nil
}

// RESTConfig returns a new copy of the admin client configuration (a system:masters
// bearer token, the serving certificate as CA).
func (c *Cluster) RESTConfig() *rest.Config { return rest.CopyConfig(c.config) }

// KubeconfigPath returns the path of a kubeconfig file for the admin user. The file is
// removed by Stop.
func (c *Cluster) KubeconfigPath() string { return c.kubePath }

// Kubeconfig returns the content of the file at KubeconfigPath.
func (c *Cluster) Kubeconfig() []byte { return append([]byte(nil), c.kubeconfig...) }

// Stop ends every process of the cluster, the clients first and etcd last (SIGTERM to
// the process group, SIGKILL after Options.StopGrace), then removes the cluster's files.
// It is safe to call more than once; later calls return the first call's result.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		c.logs.stopLogging()
		c.mu.Lock()
		procs := append([]*process(nil), c.procs...)
		c.mu.Unlock()

		// Stop the API clients together, then the API server, then etcd, so that no
		// component spends its grace period retrying a server that is already gone.
		var servers, clients []*process
		for _, p := range procs {
			switch p.name {
			case binEtcd, binAPIServer:
				servers = append(servers, p)
			default:
				clients = append(clients, p)
			}
		}
		errs := make([]error, len(clients))
		var wg sync.WaitGroup
		for i, p := range clients {
			wg.Go(func() { errs[i] = p.stop(c.opts.StopGrace) })
		}
		wg.Wait()
		for i := len(servers) - 1; i >= 0; i-- {
			errs = append(errs, servers[i].stop(c.opts.StopGrace))
		}
		if err := os.RemoveAll(c.dir); err != nil {
			errs = append(errs, fmt.Errorf("localkube: remove cluster folder: %w", err))
		}
		c.stopErr = errors.Join(errs...)
	})
	return c.stopErr
}

// run starts one program of the control plane and remembers it for Stop.
func (c *Cluster) run(name string, args []string) (*process, error) {
	p, err := startProcess(name, filepath.Join(c.opts.BinDir, name), args, c.dir, c.opts.LogOutput, c.opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("localkube: %w", err)
	}
	c.mu.Lock()
	c.procs = append(c.procs, p)
	c.mu.Unlock()
	return p, nil
}

// processes returns the started processes in start order.
func (c *Cluster) processes() []*process {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*process(nil), c.procs...)
}
