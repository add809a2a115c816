package worker

import "github.com/prometheus/client_golang/prometheus"

// reconcileMetrics are the counters of the reconcile's orphan sweep.
type reconcileMetrics struct {
	// sweepsRefused counts orphan sweeps that removed nothing because they would have removed
	// too much (see uninstallOrphans).
	sweepsRefused prometheus.Counter
	// orphansUninstalled counts releases uninstalled because their version is gone.
	orphansUninstalled prometheus.Counter
}

// newReconcileMetrics builds the counters and registers them with reg when it is not nil (a
// second worker on the same registry reuses the registered counters).
func newReconcileMetrics(reg prometheus.Registerer) reconcileMetrics {
	m := reconcileMetrics{
		sweepsRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "oneko_orphan_sweeps_refused_total",
			Help: "Orphan sweeps of the reconcile that removed nothing because they would have removed more than ONEKO_ORPHAN_SWEEP_MAX_SHARE of the installation's releases, or any release while the store holds no versions.",
		}),
		orphansUninstalled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "oneko_orphan_releases_uninstalled_total",
			Help: "Releases of this installation uninstalled by the reconcile because their version no longer exists.",
		}),
	}
	if reg != nil {
		m.sweepsRefused = register(reg, m.sweepsRefused)
		m.orphansUninstalled = register(reg, m.orphansUninstalled)
	}
	return m
}

// register registers c, or returns the counter registered before under the same name.
func register(reg prometheus.Registerer, c prometheus.Counter) prometheus.Counter {
	if err := reg.Register(c); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			if prev, ok := are.ExistingCollector.(prometheus.Counter); ok {
				return prev
			}
		}
	}
	return c
}
