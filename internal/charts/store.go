package charts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
)

// keptArchives bounds the chart archives kept in memory; the least recently used go first
// (they stay on disk).
const keptArchives = 128

// archiveStore keeps chart archives under a directory for good, and the most recently used
// in memory, keyed by registry (id and URL), chart name and version. Nothing is evicted from
// disk: a server deploys a bounded number of chart versions, and each archive is small.
type archiveStore struct {
	dir string
	mem *lru.Cache[string, []byte]
}

func newArchiveStore(dir string) *archiveStore {
	// The only error lru.New answers is for a size below one.
	mem, _ := lru.New[string, []byte](keptArchives)
	return &archiveStore{dir: dir, mem: mem}
}

// key is the archive's key in memory and, with '/' as separator, its path below dir.
func (s *archiveStore) key(t target, name, version string) string {
	return t.store + "/" + segment(name) + "/" + segment(version) + ".tgz"
}

// get answers the archive from memory, or from disk (remembering it in memory).
func (s *archiveStore) get(t target, name, version string) ([]byte, bool) {
	k := s.key(t, name, version)
	if data, ok := s.mem.Get(k); ok {
		return data, true
	}
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(k)))
	if err != nil {
		return nil, false
	}
	s.mem.Add(k, data)
	return data, true
}

// put keeps the archive in memory and writes it to disk atomically. It is in memory even
// when writing fails.
func (s *archiveStore) put(t target, name, version string, data []byte) error {
	k := s.key(t, name, version)
	s.mem.Add(k, data)
	path := filepath.Join(s.dir, filepath.FromSlash(k))
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("store chart archive %s: %w", path, err)
	}
	return nil
}

// forget drops every archive whose key starts with prefix (a registry id segment and '/').
func (s *archiveStore) forget(prefix string) error {
	for _, k := range s.mem.Keys() {
		if strings.HasPrefix(k, prefix) {
			s.mem.Remove(k)
		}
	}
	err := os.RemoveAll(filepath.Join(s.dir, filepath.FromSlash(strings.TrimSuffix(prefix, "/"))))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// writeAtomic writes data to path through a temporary file in the same directory, so that
// a reader never sees a partial file.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after the rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
