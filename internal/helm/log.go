package helm

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// logTailLines is how many of Helm's last log lines an error keeps.
const logTailLines = 30

// opLog collects Helm's log of one operation: the last lines are kept for the error, every
// line also goes to slog at debug level.
type opLog struct {
	log   *slog.Logger
	mu    sync.Mutex
	lines []string
}

func newOpLog(l *slog.Logger) *opLog { return &opLog{log: l} }

// printf is the action.DebugLog of the operation's configuration.
func (o *opLog) printf(format string, v ...any) {
	line := strings.TrimRight(fmt.Sprintf(format, v...), "\n")
	o.log.Debug(line)
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.lines) == logTailLines {
		copy(o.lines, o.lines[1:])
		o.lines = o.lines[:logTailLines-1]
	}
	o.lines = append(o.lines, line)
}

func (o *opLog) tail() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.lines...)
}

// OpError is the failure of one Helm operation on one release, with the tail of Helm's log.
type OpError struct {
	// Op names the operation: "install", "upgrade", "uninstall", "status", "rollback", "list".
	Op        string
	Namespace string
	Name      string
	Err       error
	// Log holds Helm's last log lines of the operation, oldest first.
	Log []string
}

// Error says which operation on which release failed, and why; not the log (see LogTail).
func (e *OpError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("%s releases: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("%s release %s/%s: %v", e.Op, e.Namespace, e.Name, e.Err)
}

// Unwrap returns the SDK's error.
func (e *OpError) Unwrap() error { return e.Err }

// LogTail returns the tail of Helm's log attached to err, one line per line; "" if none.
func LogTail(err error) string {
	var oe *OpError
	if !errors.As(err, &oe) {
		return ""
	}
	return strings.Join(oe.Log, "\n")
}

func (o *opLog) fail(op, ns, name string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Namespace: ns, Name: name, Err: err, Log: o.tail()}
}
