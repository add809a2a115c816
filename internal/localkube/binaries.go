package localkube

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrBinariesMissing is matched (errors.Is) by the error of Start when a program of the
// control plane is not in the binary folder.
var ErrBinariesMissing = errors.New(`kube binaries missing: run "make kube-bins" to build them`)

// Names of the programs Start runs, as "make kube-bins" names them.
const (
	binEtcd              = "etcd"
	binAPIServer         = "kube-apiserver"
	binControllerManager = "kube-controller-manager"
	binScheduler         = "kube-scheduler"
	binKwok              = "kwok"
)

// programs lists every program Start needs, in start order.
func programs() []string {
	return []string{binEtcd, binAPIServer, binControllerManager, binScheduler, binKwok}
}

// checkBinaries returns an error wrapping ErrBinariesMissing that lists the programs
// not found as executable files in dir.
func checkBinaries(dir string) error {
	var missing []string
	for _, name := range programs() {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("localkube: %s not found in %s (set %s to use another folder): %w",
		strings.Join(missing, ", "), dir, BinDirEnv, ErrBinariesMissing)
}
