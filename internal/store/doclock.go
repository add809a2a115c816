package store

import (
	"hash/fnv"
	"sync"
)

// docLocks serialises writes within this process. MongoDB applies each update atomically on
// its own, but the embedded FerretDB of local mode applies an update as read, modify, write the
// whole document — a conditional replace (the revision check of UpdateProject) too, and an
// UpdateMany document by document. Two concurrent updates of one version (a user's deploy and
// a worker recording a status) could lose one of them, two PUTs of one project made from the
// same revision could both succeed, and an UpdateMany could write back a version a single
// update changed meanwhile. In local mode api and worker share one process and one Store, so
// locks close that gap; with MongoDB they cost an uncontended mutex.
//
// A write of one document holds its stripe (lock) and the shared side of all; a write of many
// documents (MarkOutdated, the versions of a deleted project) holds all exclusively (lockAll),
// so it runs while no single-document write does. Never take a lock while holding one: a
// stripe is shared by many ids, and a pending lockAll blocks new shared holders.
type docLocks struct {
	all     sync.RWMutex
	stripes [64]sync.Mutex
}

// lock locks the stripe of a document id and returns its unlock.
func (l *docLocks) lock(id string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	m := &l.stripes[h.Sum32()%uint32(len(l.stripes))]
	l.all.RLock()
	m.Lock()
	return func() {
		m.Unlock()
		l.all.RUnlock()
	}
}

// lockAll waits until no single-document write runs, keeps new ones waiting and returns its
// unlock.
func (l *docLocks) lockAll() func() {
	l.all.Lock()
	return l.all.Unlock
}
