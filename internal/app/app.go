// Package app wires oneko's parts together from a Config: the dependencies (embedded in local
// mode, real in production), the store, authentication and the api server. Binaries call it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"github.com/oneko/oneko/api"
	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/charts"
	"github.com/oneko/oneko/internal/config"
	"github.com/oneko/oneko/internal/demo"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/helm"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/localkube"
	"github.com/oneko/oneko/internal/localstack"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/internal/secret"
	"github.com/oneko/oneko/internal/store"
	"github.com/oneko/oneko/policy"
	"github.com/oneko/oneko/worker"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Parts says which parts a process runs.
type Parts struct {
	API, Worker bool
}

// Run runs the api and/or the worker until ctx ends. In local mode it first starts the
// embedded dependencies it needs; it stops them again on the way out.
func Run(ctx context.Context, cfg *config.Config, parts Parts, log *slog.Logger) error {
	var cleanups []func()
	defer func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}()

	key, err := secretKey(cfg)
	if err != nil {
		return err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return err
	}
	mongoURI := cfg.MongoURI
	var embedded *localstack.Mongo
	if cfg.Local() {
		// FerretDB logs every connection at INFO: keep only its warnings.
		quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("component", "ferretdb")
		m, err := localstack.StartMongo(ctx, filepath.Join(cfg.DataDir, "ferretdb"), quiet)
		if err != nil {
			return err
		}
		cleanups = append(cleanups, m.Stop)
		mongoURI, embedded = m.URI(), m
		log.Info("embedded MongoDB-wire store (FerretDB/SQLite) started", "dir", filepath.Join(cfg.DataDir, "ferretdb"))
	}
	redisURL := cfg.RedisURL
	if redisURL == "" {
		r, err := localstack.StartRedis()
		if err != nil {
			return err
		}
		cleanups = append(cleanups, r.Stop)
		redisURL = r.URL()
		log.Info("in-process Redis started (set ONEKO_REDIS_URL to use a real one)")
	}
	// The embedded store has this process as its only writer (see store.Options.SoleWriter).
	st, err := store.Open(ctx, mongoURI, store.Options{Database: cfg.MongoDatabase, Box: box, SoleWriter: embedded != nil})
	if err != nil {
		return err
	}
	cleanups = append(cleanups, func() { _ = st.Close(context.Background()) })
	if embedded != nil {
		if err := embedded.IndexIDs(ctx); err != nil {
			log.Warn("lookups by id in the embedded store stay slow", "err", err)
		}
	}

	redisOpt, err := redis.ParseURL(redisURL)
	if err != nil {
		return fmt.Errorf("ONEKO_REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(redisOpt)
	cleanups = append(cleanups, func() { _ = rdb.Close() })
	queue := asynq.NewClientFromRedisClient(rdb)

	installation, err := installationID(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	bus := events.NewBus(rdb)
	gate := newClusterGate(log, func(st api.ClusterStatus) {
		if err := bus.Publish(context.Background(), "cluster.status", st); err != nil {
			log.Warn("publish the cluster's state", "err", err)
		}
	})
	gate.namespacesOf = releaseNamespaces(st)
	stopKube, err := startCluster(ctx, cfg, installation, gate, log)
	if err != nil {
		return err
	}
	cleanups = append(cleanups, stopKube)

	var demoRegistry *model.DockerRegistry
	if cfg.Local() && cfg.Demo {
		d, err := demo.Start(ctx, demo.Options{Dir: filepath.Join(cfg.DataDir, "demo"), Logger: log.With("component", "demo")})
		if err != nil {
			return err
		}
		cleanups = append(cleanups, d.Stop)
		seeded, err := d.Seed(ctx, st, gate.ensureLater)
		if err != nil {
			return err
		}
		demoRegistry = seeded.Registry
		log.Info("demo project \"hello\" ready (ONEKO_DEMO=false turns it off)", "project", seeded.ProjectID, "registry", d.RegistryURL(), "charts", d.ChartsURL())
	}
	chartCache, err := charts.NewCache(filepath.Join(cfg.DataDir, "charts"), charts.Options{Logger: log.With("component", "charts"), ChartOrigins: cfg.ChartOrigins})
	if err != nil {
		return err
	}
	errCh := make(chan error, 2)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	running := 0
	if parts.Worker {
		running++
		go func() {
			// The worker starts once the cluster answers; tasks queued meanwhile wait in Redis.
			select {
			case <-runCtx.Done():
				errCh <- nil
				return
			case <-gate.Ready():
			}
			// The cluster's clients, built once and shared by every task.
			kc, err := gate.client()
			if err != nil {
				errCh <- err
				return
			}
			hc, err := helm.New(gate.RESTConfig(), helm.Options{Logger: log.With("component", "helm"),
				Confinement: helm.Confinement{ClusterScoped: cfg.AllowClusterScoped, Namespaces: cfg.AllowNamespaces}})
			if err != nil {
				errCh <- err
				return
			}
			pods, err := gate.reader()
			if err != nil {
				errCh <- err
				return
			}
			watch, err := kube.NewWatchClients(gate.RESTConfig())
			if err != nil {
				errCh <- err
				return
			}
			w, err := worker.New(worker.Deps{Store: st, Queue: queue, Redis: rdb, Helm: hc, Cluster: kc, Pods: pods, Watch: watch, InstallationID: installation, Metrics: metrics,
				Charts: chartCache, Events: bus, Lifetime: cfg.Lifetime, RenderLimits: render.Limits{MaxBytes: cfg.RenderMaxBytes}, Log: log.With("component", "worker"),
				WebhookOnlyPollInterval: webhookOnlyPoll(cfg.WebhookOnlyPollInterval), Deploy: deployOptions(cfg)})
			if err != nil {
				errCh <- err
				return
			}
			if demoRegistry != nil {
				go func() {
					if err := w.Poll(runCtx, demoRegistry); err != nil {
						log.Warn("first poll of the demo registry", "err", err)
					}
				}()
			}
			log.Info("worker started", "concurrency", cfg.WorkerConcurrency)
			errCh <- w.Run(runCtx, asynq.RedisClientOpt{Addr: redisOpt.Addr, Password: redisOpt.Password, DB: redisOpt.DB, Username: redisOpt.Username, TLSConfig: redisOpt.TLSConfig},
				workerConfig(cfg))
		}()
		if !parts.API {
			// A worker in its own Pod still answers probes and scrapes on ONEKO_HTTP_ADDR.
			running++
			h := healthHandler([]check{{"mongodb", st.Ping}, {"redis", func(ctx context.Context) error { return rdb.Ping(ctx).Err() }}}, metrics)
			go func() { errCh <- serve(runCtx, cfg.HTTPAddr, h, log, "worker health and metrics") }()
		}
	}
	if parts.API {
		running++
		go func() {
			errCh <- runAPI(runCtx, cfg, st, rdb, queue, gate, chartCache, bus, installation, metrics, log)
		}()
	}
	var first error
	for i := 0; i < running; i++ {
		if err := <-errCh; err != nil && first == nil {
			first = err
			cancel()
		} else if i == 0 {
			cancel() // one part ended: stop the others
		}
	}
	return first
}

// runAPI serves the api until ctx ends.
func runAPI(ctx context.Context, cfg *config.Config, st *store.Store, rdb *redis.Client, queue *asynq.Client, gate *clusterGate, chartCache *charts.Cache,
	bus *events.Bus, installation string, metrics *prometheus.Registry, log *slog.Logger) error {
	if pw, err := auth.EnsureAdmin(ctx, st, cfg.AdminPassword); err != nil {
		return err
	} else if pw != "" {
		fmt.Fprintf(os.Stderr, "\n  First start: created user \"admin\" with password %s\n  (shown once; set ONEKO_ADMIN_PASSWORD to choose it)\n\n", pw)
	}
	authz, err := policy.New()
	if err != nil {
		return err
	}
	srv, err := api.New(api.Deps{
		Store: st, Auth: auth.NewAuthenticator(st, auth.NewThrottleLimits(rdb, auth.Limits{
			PerUser: cfg.Auth.LoginMaxFailures, PerAddress: cfg.Auth.LoginAddressMaxFailures, Window: cfg.Auth.LoginWindow,
		}), cfg.SessionTTL, log,
			auth.WithTokenMaxLifetime(cfg.Auth.TokenMaxLifetime), auth.WithHashConcurrency(cfg.Auth.LoginConcurrency, 0)),
		Policy: authz, Queue: queue, Redis: rdb, Cluster: gate, ClusterStatus: gate.Status, Checker: api.ClientChecker{}, Charts: api.CacheCharts{Cache: chartCache},
		Renderer: api.PlanRenderer{Planner: deploy.NewPlanner(st, installation, render.Limits{MaxBytes: cfg.RenderMaxBytes})}, CheckTemplate: render.Check, Metrics: metrics,
		Preview:     api.PlanPreview{Planner: deploy.NewPlanner(st, installation, render.Limits{MaxBytes: cfg.RenderMaxBytes}), Store: st, Charts: helm.Templater{Charts: chartCache}},
		Diagnostics: gatedDiagnostics{gate}, ExternalLogURL: cfg.Diagnostics.ExternalLogURL,
		LogFollowsPerUser: cfg.Diagnostics.FollowsPerUser, LogFollowsTotal: cfg.Diagnostics.FollowsTotal,
		Lifetime: cfg.Lifetime, Log: log, PublicURL: cfg.PublicURL, TrustedProxies: cfg.Auth.TrustedProxies, MetricsToken: cfg.Auth.MetricsToken, SecureCookies: cfg.SecureCookies, Events: bus,
		StreamCaps: events.Caps{PerUser: cfg.Auth.EventsMaxPerUser, Total: cfg.Auth.EventsMaxStreams},
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	go func() {
		<-ctx.Done()
		srv.Close() // end the event streams at once, or they would hold up the HTTP server's Shutdown
	}()
	return serve(ctx, cfg.HTTPAddr, srv.Handler(), log, "")
}

// installationID is the installation's identity: ONEKO_INSTALLATION_ID when set, else the one
// stored in the database (generated on first start). An override that differs from the stored
// id is logged: releases labelled with the stored id are then another installation's.
func installationID(ctx context.Context, cfg *config.Config, st *store.Store, log *slog.Logger) (string, error) {
	stored, err := st.InstallationID(ctx)
	if err != nil {
		return "", err
	}
	if cfg.InstallationID == "" {
		log.Info("installation", "id", stored)
		return stored, nil
	}
	if cfg.InstallationID != stored {
		log.Warn("ONEKO_INSTALLATION_ID overrides the installation id stored in the database; releases labelled with the stored id are left alone",
			"id", cfg.InstallationID, "stored", stored)
	}
	return cfg.InstallationID, nil
}

func secretKey(cfg *config.Config) ([]byte, error) {
	if cfg.SecretKey != "" {
		return secret.ParseKey(cfg.SecretKey)
	}
	return secret.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, "secret.key"))
}

// startCluster opens the gate on the cluster to use: the configured kubeconfig or the
// in-cluster configuration at once, or in local mode a local control plane started in the
// background, once its programs are built. The returned function stops what it started.
func startCluster(ctx context.Context, cfg *config.Config, installation string, gate *clusterGate, log *slog.Logger) (func(), error) {
	var rc *rest.Config
	var err error
	switch {
	case cfg.Kubeconfig != "":
		if rc, err = clientcmd.BuildConfigFromFlags("", cfg.Kubeconfig); err != nil {
			return nil, fmt.Errorf("kubeconfig %s: %w", cfg.Kubeconfig, err)
		}
	case !cfg.Local():
		if rc, err = rest.InClusterConfig(); err != nil {
			return nil, fmt.Errorf("no kubeconfig: set ONEKO_KUBECONFIG or run in a cluster: %w", err)
		}
	}
	if rc != nil {
		kc, diag, err := clients(rc, installation)
		if err != nil {
			return nil, err
		}
		gate.open(ctx, rc, kc, diag)
		return func() {}, nil
	}
	log.Info("starting a local Kubernetes control plane in the background (set KUBECONFIG to use another cluster)")
	var mu sync.Mutex
	var local *localkube.Cluster
	bg, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := gate.startWhenPresent(bg, 5*time.Second, localkube.ErrBinariesMissing, installation, func(ctx context.Context) (*rest.Config, error) {
			c, err := localkube.Start(ctx, localkube.Options{Logger: log.With("component", "localkube")})
			if err != nil {
				return nil, err
			}
			path := filepath.Join(cfg.DataDir, "kubeconfig")
			if err := os.WriteFile(path, c.Kubeconfig(), 0o600); err != nil {
				_ = c.Stop()
				return nil, fmt.Errorf("write kubeconfig: %w", err)
			}
			mu.Lock()
			local = c
			mu.Unlock()
			log.Info("local cluster ready", "kubeconfig", path)
			return c.RESTConfig(), nil
		})
		if err != nil && bg.Err() == nil {
			log.Error("the local cluster did not start; the dashboard shows why", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		if local != nil {
			_ = local.Stop()
		}
	}, nil
}

// serve serves h on addr until ctx ends. what names a server other than the api's (whose
// banner with the dashboard's URL is printed when what is empty).
func serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, what string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	hs := httpServer(h)
	errCh := make(chan error, 1)
	go func() { errCh <- hs.Serve(l) }()
	if what != "" {
		log.Info("serving "+what, "url", "http://"+l.Addr().String())
	} else {
		log.Info("oneko is ready", "url", "http://"+l.Addr().String())
		fmt.Fprintf(os.Stderr, "\n  oneko: dashboard and API at http://%s  (Ctrl-C stops)\n\n", l.Addr())
	}
	select {
	case err := <-errCh:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// httpServer is the HTTP server of the api: slow or idle clients are cut off (headers in 10 s,
// the whole request in 30 s, idle keep-alive connections after 2 min), while answers have no
// write deadline, so the event stream and log follows may last.
func httpServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
}

// workerConfig is the worker server's part of the configuration.
func workerConfig(cfg *config.Config) worker.Config {
	every := func(d time.Duration) string { return "@every " + d.String() }
	// One queued task per period across replicas: the lock must not outlast the shortest period.
	unique := min(30*time.Second, cfg.Schedule.Reconcile, cfg.Schedule.Expire, cfg.Schedule.StatusRefresh, cfg.Schedule.Retention)
	return worker.Config{
		Concurrency: cfg.WorkerConcurrency, ShutdownTimeout: cfg.WorkerShutdownTimeout, TaskCheckInterval: cfg.WorkerTaskCheckInterval,
		PollTick: cfg.Schedule.PollTick,
		Periodic: worker.Periodic{
			Reconcile: every(cfg.Schedule.Reconcile), Expire: every(cfg.Schedule.Expire),
			RefreshStatus: every(cfg.Schedule.StatusRefresh), ActivityRetention: every(cfg.Schedule.Retention),
			UniqueFor: unique,
		},
	}
}

// deployOptions are the worker's deploy, stop, reconcile and retention options from the
// configuration.
func deployOptions(cfg *config.Config) worker.DeployOptions {
	return worker.DeployOptions{Timeout: cfg.Deploy.Timeout, LeaseTTL: cfg.Deploy.LeaseTTL, LeaseRetryDelay: cfg.Deploy.LeaseRetryDelay,
		ActivityRetention: cfg.Deploy.ActivityRetention, FailedRetryAfter: cfg.Deploy.FailedRetryAfter,
		OrphanSweepMaxShare: cfg.OrphanSweepMaxShare, WarningInterval: cfg.Deploy.WarningInterval}
}

// webhookOnlyPoll maps the setting (0 = off) to worker.Deps (negative = off, 0 = default).
func webhookOnlyPoll(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}
