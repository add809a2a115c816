package localkube

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// tailLines is how many lines of a component's log an error shows.
const tailLines = 30

// process is one running program of the control plane, in its own process group, with
// its output in a log file.
type process struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	logFile *os.File
	done    chan struct{} // closed when the process has exited and been reaped
	err     error         // exit status; read only after done is closed
	// stopping is set before Stop signals the process, so that its exit is not
	// reported as a failure.
	stopping atomic.Bool
	// running is set once the cluster has started; until then a failure is reported by
	// Start's error, which shows the log, so the logger gets only a short line.
	running atomic.Bool
}

// startProcess starts bin with args, its output appended to <dir>/<name>.log and, when
// extra is not nil, to extra with every line prefixed by name.
func startProcess(name, bin string, args []string, dir string, extra io.Writer, logger *slog.Logger) (*process, error) {
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("start %s: open log: %w", name, err)
	}
	var out io.Writer = logFile
	if extra != nil {
		out = io.MultiWriter(logFile, &prefixWriter{prefix: name + " | ", w: extra})
	}

	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.WaitDelay = time.Second // do not hang on output pipes held by a stray child
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// Own process group, so Stop can signal the program and anything it starts, and a
		// Ctrl-C in the terminal reaches only our main, which then stops us in order.
		Setpgid: true,
		// Ends the program if the process that started it dies without calling Stop
		// (a test binary that times out, a killed "make cluster").
		Pdeathsig: syscall.SIGKILL,
	}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}

	p := &process{name: name, cmd: cmd, logPath: logPath, logFile: logFile, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = logFile.Close()
		switch {
		case p.stopping.Load():
		case p.running.Load():
			logger.Error("localkube component exited", "component", name, "pid", cmd.Process.Pid, "err", p.err,
				"log", p.tail())
		default:
			logger.Warn("localkube component exited while starting", "component", name, "err", p.err)
		}
		close(p.done)
	}()
	logger.Debug("localkube component started", "component", name, "pid", cmd.Process.Pid)
	return p, nil
}

// pid returns the process id, which is also its process group id.
func (p *process) pid() int { return p.cmd.Process.Pid }

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM to the process group, then SIGKILL after grace, and waits until
// the process has been reaped and no member of its group is left.
func (p *process) stop(grace time.Duration) error {
	p.stopping.Store(true)
	pgid := p.pid()
	_ = syscall.Kill(-pgid, syscall.SIGTERM)

	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-p.done:
	case <-timer.C:
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	// The leader is gone; make sure nothing it started outlives it.
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop %s: kill process group %d: %w", p.name, pgid, err)
	}
	return nil
}

// failure wraps err into an error that names the component and shows the end of its log.
func (p *process) failure(err error) error {
	state := "running"
	if p.exited() {
		state = fmt.Sprintf("exited: %v", p.err)
	}
	return fmt.Errorf("localkube: %s failed (%s; log %s): %w\n--- last lines of %s log ---\n%s",
		p.name, state, p.logPath, err, p.name, p.tail())
}

// tail returns the last lines of the process's log.
func (p *process) tail() string {
	data, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	data = bytes.TrimRight(data, "\n")
	lines := strings.Split(string(data), "\n")
	if len(lines) > tailLines {
		lines = lines[len(lines)-tailLines:]
	}
	return strings.Join(lines, "\n")
}

// prefixWriter writes every complete line it receives to w with prefix in front.
type prefixWriter struct {
	mu     sync.Mutex
	prefix string
	w      io.Writer
	buf    []byte
}

// Write implements io.Writer. It never fails, so that a slow or closed extra output
// cannot stop a component.
func (pw *prefixWriter) Write(b []byte) (int, error) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	pw.buf = append(pw.buf, b...)
	for {
		i := bytes.IndexByte(pw.buf, '\n')
		if i < 0 {
			break
		}
		line := make([]byte, 0, len(pw.prefix)+i+1)
		line = append(line, pw.prefix...)
		line = append(line, pw.buf[:i+1]...)
		_, _ = pw.w.Write(line)
		pw.buf = pw.buf[i+1:]
	}
	return len(b), nil
}
