package testenv

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Distribution is a CNCF Distribution registry (Debian's docker-registry) that sends its
// notifications to a webhook URL, as a real registry in production does.
type Distribution struct {
	cmd  *exec.Cmd
	addr string
	dir  string
	log  string
}

// StartDistribution starts docker-registry on a free loopback port with filesystem storage in a
// temp dir. When notifyURL is not empty every push is notified there with
// "Authorization: Bearer <secret>". It fails with a clear message when the package is missing
// (make test installs it).
func StartDistribution(ctx context.Context, notifyURL, secret string) (*Distribution, error) {
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		return nil, fmt.Errorf("docker-registry not found: run `make test`, which installs it (apt-get install -y docker-registry): %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "oneko-distribution-")
	if err != nil {
		return nil, fmt.Errorf("distribution temp dir: %w", err)
	}
	d := &Distribution{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir, log: filepath.Join(dir, "registry.log")}
	cfg := fmt.Sprintf(`version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
`, filepath.Join(dir, "data"), d.addr)
	if notifyURL != "" {
		cfg += fmt.Sprintf(`notifications:
  endpoints:
    - name: oneko
      url: %s
      headers:
        Authorization: [Bearer %s]
      timeout: 5s
      threshold: 10
      backoff: 500ms
`, notifyURL, secret)
	}
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return nil, fmt.Errorf("write registry config: %w", err)
	}
	logFile, err := os.Create(d.log)
	if err != nil {
		return nil, fmt.Errorf("registry log: %w", err)
	}
	defer logFile.Close()
	d.cmd = exec.Command(bin, "serve", cfgPath)
	d.cmd.Stdout, d.cmd.Stderr = logFile, logFile
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start docker-registry: %w", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+d.addr+"/v2/", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			return d, nil
		}
		if time.Now().After(deadline) {
			tail, _ := os.ReadFile(d.log)
			d.Stop()
			return nil, fmt.Errorf("docker-registry on %s not ready after 15s; log:\n%s", d.addr, tail)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Addr is host:port of the registry.
func (d *Distribution) Addr() string { return d.addr }

// URL is the registry's base URL.
func (d *Distribution) URL() string { return "http://" + d.addr }

// Stop ends the registry and removes its data.
func (d *Distribution) Stop() {
	if d.cmd != nil && d.cmd.Process != nil {
		_ = d.cmd.Process.Kill()
		_ = d.cmd.Wait()
	}
	_ = os.RemoveAll(d.dir)
}
