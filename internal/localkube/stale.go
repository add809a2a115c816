package localkube

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// dirPrefix starts the name of every cluster folder under Options.WorkDir.
const dirPrefix = "localkube-"

// ownerFile, in a cluster folder, holds the process id of the process that started the
// cluster.
const ownerFile = "owner.pid"

// writeOwner records the current process as the owner of the cluster folder dir.
func writeOwner(dir string) error {
	return os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o600)
}

// removeStale removes the cluster folders under workDir whose owner process is gone:
// those of a test binary that was killed before it could call Stop (the kernel has
// already ended their programs). A folder without a readable owner is left alone.
func removeStale(workDir string, logger *slog.Logger) {
	entries, err := os.ReadDir(workDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), dirPrefix) {
			continue
		}
		dir := filepath.Join(workDir, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			continue // alive, or not ours to judge
		}
		if err := os.RemoveAll(dir); err != nil {
			logger.Warn("localkube: remove stale cluster folder", "dir", dir, "err", err)
			continue
		}
		logger.Debug("localkube: removed stale cluster folder", "dir", dir, "owner_pid", pid)
	}
}
