package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oneko/oneko/internal/config"
)

// TestHelpListsEverySetting: the --help of each command lists every setting that command reads
// — its flag (none for a secret), its environment variable and its default — and no other.
func TestHelpListsEverySetting(t *testing.T) {
	plain := strings.NewReplacer("`", "", "**", "")
	for _, tc := range []struct {
		args []string
		cmd  config.Command
	}{
		{[]string{"--help"}, config.All},
		{[]string{"help"}, config.All},
		{[]string{"api", "--help"}, config.CmdAPI},
		{[]string{"worker", "-h"}, config.CmdWorker},
		{[]string{"migrate", "--help"}, config.CmdMigrate},
		{[]string{"store", "--help"}, config.CmdStore},
	} {
		var out, errOut bytes.Buffer
		if code := run(t.Context(), tc.args, &out, &errOut); code != 0 {
			t.Fatalf("oneko %v: exit %d, stderr %s", tc.args, code, errOut.String())
		}
		_, help, ok := strings.Cut(out.String(), "\nSettings (")
		if !ok {
			t.Fatalf("oneko %v lists no settings:\n%s", tc.args, out.String())
		}
		for _, s := range config.Settings() {
			line := s.Env + " (default: " + plain.Replace(s.DefaultString()) + ")"
			listed := strings.Contains(help, line)
			switch {
			case s.Commands&tc.cmd == 0 && strings.Contains(help, s.Env+" "):
				t.Errorf("oneko %v lists %s, which it does not read", tc.args, s.Env)
			case s.Commands&tc.cmd != 0 && !listed:
				t.Errorf("oneko %v does not list %q:\n%s", tc.args, line, help)
			case s.Commands&tc.cmd != 0 && s.Flag() != "" && !strings.Contains(help, "--"+s.Flag()+" "):
				t.Errorf("oneko %v does not list the flag --%s", tc.args, s.Flag())
			}
		}
	}
}

// TestFlagErrors: a wrong flag, a flag of another command and a stray argument stop the
// command with exit code 2 and the usage on stderr, before anything starts.
func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"worker", "--session-ttl", "1h"},
		{"api", "--worker-concurrency", "3"},
		{"api", "extra"},
		{"worker", "--deploy-timeout", "1s"},
	} {
		var out, errOut bytes.Buffer
		if code := run(t.Context(), args, &out, &errOut); code != 2 || !strings.Contains(strings.ToLower(errOut.String()), "oneko") {
			t.Errorf("oneko %v: exit %d, stderr %q; want 2 and a message", args, code, errOut.String())
		}
	}
}
