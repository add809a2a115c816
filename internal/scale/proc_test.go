package scale

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is one process of the oneko binary started by the tests.
type proc struct {
	name string
	args []string
	env  []string
	dir  string
	log  string
	cmd  *exec.Cmd
	done chan struct{} // closed once the process ended and was waited for

	mu    sync.Mutex
	ended time.Time
}

// startProc starts the oneko binary with args and the extra environment env (on top of the
// test's environment without any ONEKO_* or KUBECONFIG variable). Its output goes to a log
// file in dir.
func startProc(name, dir string, args, env []string) (*proc, error) {
	p := &proc{name: name, args: args, env: env, dir: filepath.Join(dir, name)}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return nil, err
	}
	return p, p.start()
}

// start (re)starts the process with the same arguments; the log is appended to.
func (p *proc) start() error {
	p.log = filepath.Join(p.dir, "log")
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ONEKO_") && !strings.HasPrefix(kv, "KUBECONFIG=") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	env = append(env, "HOME="+p.dir, "ONEKO_DATA_DIR="+filepath.Join(p.dir, "data"))
	p.cmd = exec.Command(shared.bin, p.args...)
	p.cmd.Env = append(env, p.env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	// A test binary that dies (a timeout, ^C) takes its processes with it.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	p.done = make(chan struct{})
	cmd, done := p.cmd, p.done
	go func() {
		_ = cmd.Wait()
		p.mu.Lock()
		p.ended = time.Now()
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

// pid is the process id of the running process.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// exited reports whether the process ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// signal sends sig and returns when it was sent.
func (p *proc) signal(sig syscall.Signal) time.Time {
	_ = p.cmd.Process.Signal(sig)
	return time.Now()
}

// wait waits up to limit for the process to end and returns when it ended.
func (p *proc) wait(limit time.Duration) (time.Time, bool) {
	select {
	case <-p.done:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.ended, true
	case <-time.After(limit):
		return time.Time{}, false
	}
}

// kill ends the process with SIGKILL, if it runs, and waits for it.
func (p *proc) kill() {
	if p.cmd == nil || p.cmd.Process == nil || p.exited() {
		return
	}
	p.signal(syscall.SIGKILL)
	<-p.done
}

// rss is the resident memory of the process in bytes (VmRSS of /proc/<pid>/status).
func (p *proc) rss() int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.pid()))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// logContains reports whether the log has s.
func (p *proc) logContains(s string) bool {
	b, _ := os.ReadFile(p.log)
	return bytes.Contains(b, []byte(s))
}

// tail is the last n bytes of the log.
func (p *proc) tail(n int) string {
	b, _ := os.ReadFile(p.log)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// freeAddr is a free loopback host:port.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}
