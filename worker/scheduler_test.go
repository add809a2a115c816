package worker

import (
	"testing"

	"github.com/hibiken/asynq"
)

func TestScheduleRegistersPeriodicTasks(t *testing.T) {
	e := newEnv(t)
	s := asynq.NewScheduler(e.redis, nil)
	ids, err := e.worker.schedule(s, DefaultPeriodic())
	if err != nil || len(ids) != 4 {
		t.Fatalf("schedule = %v, %v; want 4 entries", ids, err)
	}
	if _, err := e.worker.schedule(s, Periodic{Reconcile: "not a spec"}); err == nil {
		t.Fatal("a bad cron spec was accepted")
	}
}
