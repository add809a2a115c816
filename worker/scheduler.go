package worker

import (
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/oneko/oneko/tasks"
)

// Periodic holds the cron specs ("@every 1m", "*/5 * * * *") of the periodic tasks; an
// empty spec leaves that task out.
type Periodic struct {
	Reconcile         string
	Expire            string
	RefreshStatus     string
	ActivityRetention string
	// UniqueFor keeps a second scheduler (another worker replica) from queueing the same
	// periodic task again within this window. Default 30s.
	UniqueFor time.Duration
}

// DefaultPeriodic reconciles and expires every minute, refreshes status every 30 seconds and
// applies the activity retention every hour.
func DefaultPeriodic() Periodic {
	return Periodic{Reconcile: "@every 1m", Expire: "@every 1m", RefreshStatus: "@every 30s", ActivityRetention: "@every 1h", UniqueFor: 30 * time.Second}
}

// schedule registers the periodic tasks on s and returns their entry ids. Run s (Start or
// Run) next to the server that runs the handlers of Mux.
func (w *Worker) schedule(s *asynq.Scheduler, p Periodic) ([]string, error) {
	if p.UniqueFor <= 0 {
		p.UniqueFor = 30 * time.Second
	}
	var ids []string
	for _, e := range []struct{ spec, typ string }{
		{p.Reconcile, tasks.TypeReconcile},
		{p.Expire, tasks.TypeExpire},
		{p.RefreshStatus, tasks.TypeRefreshStatus},
		{p.ActivityRetention, tasks.TypeActivityRetention},
	} {
		if e.spec == "" {
			continue
		}
		id, err := s.Register(e.spec, tasks.NewPeriodic(e.typ), tasks.PeriodicOptions(p.UniqueFor)...)
		if err != nil {
			return ids, fmt.Errorf("schedule %s at %q: %w", e.typ, e.spec, err)
		}
		w.log.Info("periodic task scheduled", "type", e.typ, "spec", e.spec, "entry", id)
		ids = append(ids, id)
	}
	return ids, nil
}
