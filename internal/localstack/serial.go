package localstack

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FerretDB's SQLite backend applies an update (update, findAndModify) as read the matching
// documents, change them in Go, write each one back by _id. Two such commands on one document
// from two connections can interleave: both read revision 7, both write revision 8, and one
// change is lost, although each command returned success. A conditional update (filter on a
// generation or a fencing token) is then no longer a compare-and-set. MongoDB applies every
// single-document write atomically, and oneko's store relies on that. In one process the
// store's own per-document locks close the gap (local mode); between processes the front below
// closes it: every command that writes waits for the one before it, while reads go on in
// parallel. SQLite allows one writer at a time anyway, so little is lost.

// Wire protocol constants (MongoDB wire protocol: a 16-byte header, then the body).
const (
	opMsg        = 2013
	headerLen    = 16
	maxMessage   = 48 << 20 // MongoDB's maxMessageSizeBytes
	flagMoreToCo = 1 << 1   // OP_MSG moreToCome: no answer follows (request) or more follow (answer)
)

// readOnly are the commands that never write: they run without waiting. Every other command,
// and every message that is not an OP_MSG with a body, waits its turn.
var readOnly = map[string]bool{
	"find": true, "getMore": true, "aggregate": true, "count": true, "distinct": true,
	"listCollections": true, "listIndexes": true, "listDatabases": true, "hello": true,
	"isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true,
	"saslStart": true, "saslContinue": true, "endSessions": true, "killCursors": true,
	"dbStats": true, "collStats": true, "serverStatus": true, "getParameter": true,
	"connectionStatus": true, "whatsmyuri": true, "getLog": true, "hostInfo": true,
	"explain": true, "getCmdLineOpts": true, "getFreeMonitoringStatus": true,
}

// serialFront accepts MongoDB-wire connections and passes them to a backend server, one
// writing command at a time across all connections.
type serialFront struct {
	l       net.Listener
	backend string
	writes  sync.Mutex
	log     *slog.Logger
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
}

// startSerialFront listens on addr and serves until stop.
func startSerialFront(addr, backend string, log *slog.Logger) (*serialFront, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	f := &serialFront{l: l, backend: backend, log: log, conns: map[net.Conn]struct{}{}}
	f.wg.Add(1)
	go f.accept()
	return f, nil
}

// addr is the address the front listens on.
func (f *serialFront) addr() string { return f.l.Addr().String() }

func (f *serialFront) accept() {
	defer f.wg.Done()
	for {
		c, err := f.l.Accept()
		if err != nil {
			return
		}
		f.track(c, true)
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer f.track(c, false)
			if err := f.serve(c); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				f.log.Debug("MongoDB-wire connection ended", "err", err)
			}
		}()
	}
}

func (f *serialFront) track(c net.Conn, add bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if add {
		f.conns[c] = struct{}{}
	} else {
		delete(f.conns, c)
		_ = c.Close()
	}
}

// stop closes the listener and every connection and waits for them.
func (f *serialFront) stop() {
	_ = f.l.Close()
	f.mu.Lock()
	for c := range f.conns {
		_ = c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// serve passes one client connection's requests to its own backend connection: request,
// answer(s), next request — the drivers wait for each answer before the next request on a
// connection.
func (f *serialFront) serve(client net.Conn) error {
	server, err := net.Dial("tcp", f.backend)
	if err != nil {
		return fmt.Errorf("dial FerretDB: %w", err)
	}
	defer server.Close()
	for {
		req, err := readMessage(client)
		if err != nil {
			return err
		}
		if err := f.roundTrip(req, client, server); err != nil {
			return err
		}
	}
}

// roundTrip sends req to the server and the answers back to the client, holding the write
// lock for a command that may write.
func (f *serialFront) roundTrip(req []byte, client, server net.Conn) error {
	name, flags, isMsg := command(req)
	if !isMsg || !readOnly[name] {
		f.writes.Lock()
		defer f.writes.Unlock()
	}
	if _, err := server.Write(req); err != nil {
		return fmt.Errorf("to FerretDB: %w", err)
	}
	if isMsg && flags&flagMoreToCo != 0 {
		return nil // an unacknowledged write: no answer
	}
	for {
		ans, err := readMessage(server)
		if err != nil {
			return fmt.Errorf("from FerretDB: %w", err)
		}
		if _, err := client.Write(ans); err != nil {
			return err
		}
		if _, flags, isMsg := command(ans); !isMsg || flags&flagMoreToCo == 0 {
			return nil
		}
	}
}

// readMessage reads one whole wire-protocol message.
func readMessage(r io.Reader) ([]byte, error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.LittleEndian.Uint32(h[:])))
	if n < headerLen || n > maxMessage {
		return nil, fmt.Errorf("wire message of %d bytes", n)
	}
	msg := make([]byte, n)
	copy(msg, h[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

// command returns the command name (the first key of the body section) and the flags of an
// OP_MSG; isMsg is false for any other message or an OP_MSG without a body section.
func command(msg []byte) (name string, flags uint32, isMsg bool) {
	if len(msg) < headerLen+5 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return "", 0, false
	}
	flags = binary.LittleEndian.Uint32(msg[16:20])
	for rest := msg[20:]; len(rest) > 5; {
		kind := rest[0]
		size := int(int32(binary.LittleEndian.Uint32(rest[1:5])))
		if size < 5 || 1+size > len(rest) {
			return "", flags, false
		}
		if kind == 0 {
			elem, err := bson.Raw(rest[1 : 1+size]).IndexErr(0)
			if err != nil {
				return "", flags, false
			}
			return elem.Key(), flags, true
		}
		rest = rest[1+size:]
	}
	return "", flags, false
}

// ServeMongo starts FerretDB with its data under dir, reachable on addr through a front that
// makes each writing command atomic for clients in other processes (see above). It is what
// `oneko store` runs: one store shared by several api and worker processes without MongoDB.
func ServeMongo(ctx context.Context, dir, addr string, logger *slog.Logger) (*Mongo, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	m, err := StartMongo(ctx, dir, logger)
	if err != nil {
		return nil, err
	}
	backend, err := hostPort(m.URI())
	if err != nil {
		m.Stop()
		return nil, err
	}
	f, err := startSerialFront(addr, backend, logger)
	if err != nil {
		m.Stop()
		return nil, err
	}
	return &Mongo{uri: "mongodb://" + f.addr() + "/", stop: func() { f.stop(); m.Stop() }}, nil
}

// hostPort is the host:port of a mongodb:// URI.
func hostPort(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("FerretDB address %q: %w", uri, err)
	}
	return u.Host, nil
}
