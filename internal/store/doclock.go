package store

import (
	"hash/fnv"
	"sync"
)

// docLocks serialises writes to one document within this process. MongoDB applies each update
// atomically on its own, but the embedded FerretDB of local mode applies an update as read,
// modify, write the whole document, so two concurrent updates of one version (a user's deploy
// and a worker recording a status) could lose one of them. In local mode api and worker share
// one process and one Store, so a lock per document closes that gap; with MongoDB it costs an
// uncontended mutex.
type docLocks struct {
	stripes [64]sync.Mutex
}

// lock locks the stripe of a document id and returns its unlock.
func (l *docLocks) lock(id string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	m := &l.stripes[h.Sum32()%uint32(len(l.stripes))]
	m.Lock()
	return m.Unlock
}
