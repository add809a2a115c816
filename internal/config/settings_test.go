package config

import (
	"bytes"
	"flag"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fieldSettings walks the fields of v's struct type and returns the settings each leaf field
// names in its `env` tag, by field path. Nested structs of this package (Auth, Deploy…) are
// walked; a leaf without a tag is returned with no names.
func fieldSettings(t reflect.Type, prefix string, out map[string][]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		path := prefix + f.Name
		if tag := f.Tag.Get("env"); tag != "" {
			out[path] = strings.Split(tag, ",")
			continue
		}
		if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == t.PkgPath() {
			fieldSettings(f.Type, path+".", out)
			continue
		}
		out[path] = nil
	}
}

// TestEveryFieldIsASetting: every field of Config names its settings, every named setting is in
// the table, and every setting in the table belongs to a field — a new field cannot miss its
// flag, its help line or its row in README.
func TestEveryFieldIsASetting(t *testing.T) {
	table := map[string]Setting{}
	for _, s := range Settings() {
		if _, dup := table[s.Env]; dup {
			t.Errorf("%s is twice in Settings", s.Env)
		}
		if s.Commands == 0 || s.Usage == "" {
			t.Errorf("%s: no command reads it or no usage: %+v", s.Env, s)
		}
		table[s.Env] = s
	}
	fields := map[string][]string{}
	fieldSettings(reflect.TypeFor[Config](), "", fields)
	used := map[string]bool{}
	for path, names := range fields {
		if len(names) == 0 {
			t.Errorf("Config.%s has no `env` tag naming its setting(s) in config.Settings", path)
		}
		for _, n := range names {
			if _, ok := table[n]; !ok {
				t.Errorf("Config.%s names %s, which is not in config.Settings", path, n)
			}
			used[n] = true
		}
	}
	for env := range table {
		if !used[env] {
			t.Errorf("%s is in config.Settings but no Config field names it", env)
		}
	}
}

// TestEverySettingIsRead: loading the configuration reads every setting of the table, and
// nothing else through it.
func TestEverySettingIsRead(t *testing.T) {
	defaults := map[string]string{}
	for _, s := range Settings() {
		defaults[s.Env] = s.Default
	}
	read := map[string]bool{}
	if _, err := load(func(env string) string { read[env] = true; return defaults[env] }, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	for env := range defaults {
		if !read[env] {
			t.Errorf("%s is in config.Settings but the configuration never reads it", env)
		}
	}
	for env := range read {
		if _, ok := defaults[env]; !ok {
			t.Errorf("%s is read but not in config.Settings", env)
		}
	}
}

// TestFlagBeatsEnvBeatsDefault: a flag wins over its variable, the variable over the default;
// flag values are validated like variables; a flag of another command is refused.
func TestFlagBeatsEnvBeatsDefault(t *testing.T) {
	load := func(args []string, env map[string]string) (*Config, error) {
		fs := flag.NewFlagSet("worker", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f := Bind(fs, CmdWorker, "")
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		return f.Load(func(k string) string { return env[k] })
	}
	env := map[string]string{"ONEKO_WORKER_CONCURRENCY": "2", "ONEKO_POLL_TICK": "20s"}
	c, err := load([]string{"--worker-concurrency", "8", "--reconcile-interval=5m"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.WorkerConcurrency != 8 || c.Schedule.PollTick != 20*time.Second || c.Schedule.Reconcile != 5*time.Minute || c.Schedule.Expire != time.Minute {
		t.Fatalf("concurrency %d, poll tick %s, reconcile %s, expire %s", c.WorkerConcurrency, c.Schedule.PollTick, c.Schedule.Reconcile, c.Schedule.Expire)
	}
	if _, err := load([]string{"--lease-ttl", "1s"}, nil); err == nil || !strings.Contains(err.Error(), "ONEKO_LEASE_TTL") {
		t.Errorf("--lease-ttl 1s: %v", err)
	}
	if _, err := load([]string{"--session-ttl", "1h"}, nil); err == nil {
		t.Error("oneko worker took the api's --session-ttl")
	}
	if _, err := load([]string{"--secret-key", "x"}, nil); err == nil {
		t.Error("a secret was taken from the command line")
	}
	fs := flag.NewFlagSet("oneko", flag.ContinueOnError)
	f := Bind(fs, All, "")
	if err := fs.Parse([]string{"--demo=false", "--secure-cookies"}); err != nil {
		t.Fatal(err)
	}
	c, err = f.Load(func(string) string { return "" })
	if err != nil || c.Demo || !c.SecureCookies {
		t.Fatalf("--demo=false --secure-cookies: demo %v, secure %v, %v", c.Demo, c.SecureCookies, err)
	}
}

// TestPrintSettings: the listing of a command names each of its settings with flag, variable
// and default, and none of another command's.
func TestPrintSettings(t *testing.T) {
	var b bytes.Buffer
	PrintSettings(&b, CmdWorker)
	out := b.String()
	for _, want := range []string{"--worker-concurrency", "ONEKO_WORKER_CONCURRENCY (default: 4)", "--status-refresh-interval", "ONEKO_SECRET_KEY", "(environment only)"} {
		if !strings.Contains(out, want) {
			t.Errorf("worker settings lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ONEKO_SESSION_TTL") {
		t.Errorf("worker settings list the api's ONEKO_SESSION_TTL")
	}
}

// README's configuration table lies between these markers and is the table Settings gives.
const (
	readmeBegin = "<!-- settings table: generated from internal/config/settings.go by `go test ./internal/config -run TestREADMETable -update` -->\n"
	readmeEnd   = "<!-- end of settings table -->\n"
)

var update = flag.Bool("update", false, "rewrite README's configuration table from config.Settings")

// readmeTable renders Settings as README's Markdown table.
func readmeTable() string {
	names := map[Command]string{CmdAPI: "api", CmdWorker: "worker", CmdLocal: "local mode", CmdMigrate: "migrate", CmdStore: "store"}
	var b strings.Builder
	b.WriteString("| variable | flag | default | read by | meaning |\n| --- | --- | --- | --- | --- |\n")
	for _, s := range Settings() {
		flagText := "environment only"
		if f := s.Flag(); f != "" {
			flagText = "`--" + f + "`"
		}
		def := s.DefaultString()
		if s.DefaultText == "" && s.Default != "" {
			def = "`" + s.Default + "`"
		}
		var cmds []string
		for _, c := range []Command{CmdAPI, CmdWorker, CmdLocal, CmdMigrate, CmdStore} {
			if s.Commands&c != 0 {
				cmds = append(cmds, names[c])
			}
		}
		b.WriteString("| `" + s.Env + "` | " + flagText + " | " + def + " | " + strings.Join(cmds, ", ") + " | " + s.Usage + " |\n")
	}
	return b.String()
}

// TestREADMETable: README's configuration table is exactly the table of Settings, so every
// setting has its row with flag and default (-update rewrites it).
func TestREADMETable(t *testing.T) {
	const path = "../../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	begin, end := strings.Index(text, readmeBegin), strings.Index(text, readmeEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the markers of the settings table:\n%s%s", readmeBegin, readmeEnd)
	}
	got, want := text[begin+len(readmeBegin):end], readmeTable()
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(text[:begin+len(readmeBegin)]+want+text[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, s := range Settings() {
		if !strings.Contains(got, "| `"+s.Env+"` |") {
			t.Errorf("README's configuration table has no row for %s", s.Env)
		}
	}
	t.Errorf("README's configuration table differs from config.Settings: run go test ./internal/config -run TestREADMETable -update")
}
