package localkube

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Container logs. kwok answers the kubelet's log endpoint, which kube-apiserver proxies
// GET …/pods/{pod}/log to, from files in the container runtime's log format. Every
// container of every Pod shares one log: a few start-up lines, then a line every
// demoLogEvery, like a small web application (and a short log of a previous, crashed
// instance for previous=true). AppendLog adds lines of the caller's.
const (
	logsConfigName  = "kwok-logs.yaml"
	logName         = "container.log"
	previousLogName = "container-previous.log"
	// demoLogEvery is how often the simulated containers log a line.
	demoLogEvery = time.Second
	// maxDemoLines bounds the log of a long-running cluster (about a day of lines).
	maxDemoLines = 100000
)

// criTime is the time format of the container runtime's log lines (fixed width, so lines
// sort by their text).
const criTime = "2006-01-02T15:04:05.000000000Z07:00"

// containerLogs writes the log that kwok serves for every container.
type containerLogs struct {
	mu    sync.Mutex
	path  string
	lines int

	stop chan struct{}
	done chan struct{}
}

// logsConfig is kwok's ClusterLogs configuration: every container of every Pod it plays
// logs to logPath (its previous instance to previousPath), and logs can be followed.
func logsConfig(logPath, previousPath string) []byte {
	return fmt.Appendf(nil, `apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: oneko-demo-logs
spec:
  selector: {}
  logs:
  - logsFile: %q
    previousLogsFile: %q
    follow: true
`, logPath, previousPath)
}

// writeLogs writes the start of the containers' logs and kwok's configuration into dir.
func writeLogs(dir string) (*containerLogs, string, error) {
	l := &containerLogs{path: filepath.Join(dir, logName)}
	previous := filepath.Join(dir, previousLogName)
	now := time.Now()
	crashed := criLine(now.Add(-time.Minute), "stdout", "demo: starting (previous instance)") +
		criLine(now.Add(-59*time.Second), "stderr", "demo: panic: simulated crash")
	if err := os.WriteFile(previous, []byte(crashed), 0o600); err != nil {
		return nil, "", fmt.Errorf("localkube: write previous container log: %w", err)
	}
	if err := os.WriteFile(l.path, nil, 0o600); err != nil {
		return nil, "", fmt.Errorf("localkube: write container log: %w", err)
	}
	for _, text := range []string{"demo: starting", "demo: listening on :8080"} {
		if err := l.append("stdout", text); err != nil {
			return nil, "", err
		}
	}
	config := filepath.Join(dir, logsConfigName)
	if err := os.WriteFile(config, logsConfig(l.path, previous), 0o600); err != nil {
		return nil, "", fmt.Errorf("localkube: write kwok logs configuration: %w", err)
	}
	return l, config, nil
}

// criLine is one line of the container runtime's log format: time, stream, F (a full
// line) and the text.
func criLine(t time.Time, stream, text string) string {
	return t.UTC().Format(criTime) + " " + stream + " F " + text + "\n"
}

// append adds one line to the log, stamped now.
func (l *containerLogs) append(stream, text string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("localkube: open container log: %w", err)
	}
	_, werr := f.WriteString(criLine(time.Now(), stream, text))
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return fmt.Errorf("localkube: append to container log: %w", werr)
	}
	l.lines++
	return nil
}

// run logs a line every demoLogEvery until stopLogging, up to maxDemoLines lines.
func (l *containerLogs) run() {
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(demoLogEvery)
		defer t.Stop()
		for n := 1; ; n++ {
			select {
			case <-l.stop:
				return
			case <-t.C:
			}
			l.mu.Lock()
			full := l.lines >= maxDemoLines
			l.mu.Unlock()
			if full {
				return
			}
			if err := l.append("stdout", fmt.Sprintf("demo: GET /healthz 200 (request %d)", n)); err != nil {
				return
			}
		}
	}()
}

// stopLogging ends run and waits for it.
func (l *containerLogs) stopLogging() {
	if l == nil || l.stop == nil {
		return
	}
	close(l.stop)
	<-l.done
}

// AppendLog adds a line to the log of every container the cluster simulates, as if each
// had written it to standard output now. The text must be one line.
func (c *Cluster) AppendLog(text string) error {
	if strings.ContainsAny(text, "\r\n") {
		return fmt.Errorf("localkube: a log line cannot contain a line break: %q", text)
	}
	if c.logs == nil {
		return fmt.Errorf("localkube: the cluster is not running")
	}
	return c.logs.append("stdout", text)
}
