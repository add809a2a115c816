package localkube

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestKwokStagesJoinsEveryEmbeddedStage(t *testing.T) {
	data := kwokStages()
	docs := strings.Split(string(data), "\n---\n")
	var names []string
	for _, doc := range docs {
		var stage struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &stage); err != nil {
			t.Fatalf("parse stage document: %v\n%s", err, doc)
		}
		if stage.Kind != "Stage" {
			t.Errorf("document kind = %q, want Stage", stage.Kind)
		}
		names = append(names, stage.Metadata.Name)
	}
	want := "node-initialize,pod-complete,pod-delete,pod-ready"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("stages = %s, want %s", got, want)
	}
}

func TestWriteCredentials(t *testing.T) {
	dir := t.TempDir()
	creds, err := writeCredentials(dir)
	if err != nil {
		t.Fatalf("writeCredentials: %v", err)
	}

	block, _ := pem.Decode(creds.caPEM)
	if block == nil {
		t.Fatal("serving certificate is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("parse certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	for _, host := range []string{"127.0.0.1", "localhost"} {
		opts := x509.VerifyOptions{DNSName: host, Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		if _, err := cert.Verify(opts); err != nil {
			t.Errorf("certificate does not verify for %s: %v", host, err)
		}
	}

	tokens, err := os.ReadFile(creds.tokenFile)
	if err != nil {
		t.Fatalf("read token file: %v", err)
	}
	wantLine := creds.token + "," + adminUser + "," + adminUser + `,"system:masters"`
	if got := strings.TrimSpace(string(tokens)); got != wantLine {
		t.Errorf("token file = %q, want %q", got, wantLine)
	}

	for _, f := range []struct{ path, pemType string }{
		{creds.keyFile, "PRIVATE KEY"},
		{creds.saKeyFile, "PRIVATE KEY"},
		{creds.saPubKeyFile, "PUBLIC KEY"},
	} {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatalf("read %s: %v", f.path, err)
		}
		block, _ := pem.Decode(data)
		if block == nil || block.Type != f.pemType {
			t.Errorf("%s: want one PEM block of type %s", f.path, f.pemType)
		}
		info, err := os.Stat(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s mode = %v, want 0600", f.path, perm)
		}
	}
}

func TestPrefixWriterPrefixesWholeLines(t *testing.T) {
	var out bytes.Buffer
	w := &prefixWriter{prefix: "etcd | ", w: &out}
	for _, chunk := range []string{"first li", "ne\nsecond line\nthi", "rd\n"} {
		if n, err := w.Write([]byte(chunk)); err != nil || n != len(chunk) {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	want := "etcd | first line\netcd | second line\netcd | third\n"
	if out.String() != want {
		t.Errorf("output = %q, want %q", out.String(), want)
	}
}

func TestOptionsDefaults(t *testing.T) {
	t.Setenv(BinDirEnv, "")
	t.Setenv("XDG_CACHE_HOME", "/cache")
	opts, err := Options{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if want := "/cache/oneko/kube-" + KubeVersion; opts.BinDir != want {
		t.Errorf("BinDir = %q, want %q", opts.BinDir, want)
	}
	if opts.Nodes != DefaultNodes || opts.Logger == nil || opts.StartTimeout != DefaultStartTimeout {
		t.Errorf("defaults not applied: %+v", opts)
	}

	t.Setenv(BinDirEnv, "/elsewhere")
	if opts, _ := (Options{}).withDefaults(); opts.BinDir != "/elsewhere" {
		t.Errorf("BinDir = %q, want the value of %s", opts.BinDir, BinDirEnv)
	}
	if opts, _ := (Options{BinDir: "/explicit"}).withDefaults(); opts.BinDir != "/explicit" {
		t.Errorf("BinDir = %q, want the explicit one", opts.BinDir)
	}
	if _, err := (Options{Nodes: -1}).withDefaults(); err == nil {
		t.Error("Nodes -1 accepted")
	}
}

func TestRemoveStaleKeepsFoldersOfLiveOwners(t *testing.T) {
	work := t.TempDir()
	mk := func(name, owner string) string {
		dir := filepath.Join(work, name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(owner), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	// A process that has exited and been reaped: its pid is free.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatalf("run true: %v", err)
	}
	dead := mk(dirPrefix+"dead", strconv.Itoa(cmd.Process.Pid))
	live := mk(dirPrefix+"live", strconv.Itoa(os.Getppid()))
	self := mk(dirPrefix+"self", strconv.Itoa(os.Getpid()))
	unowned := mk(dirPrefix+"unowned", "")
	other := mk("something-else", strconv.Itoa(cmd.Process.Pid))

	removeStale(work, slog.New(slog.DiscardHandler))

	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("folder of a dead owner still there (stat err %v)", err)
	}
	for _, dir := range []string{live, self, unowned, other} {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(dir), err)
		}
	}
}
