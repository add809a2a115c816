package e2e

import (
	"os"
	"path/filepath"
)

// readSample reads one of the registry sample payloads (copied from shared/samples/webhooks).
func readSample(file string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", file))
}
