package main

import (
	"bytes"
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestStoreCommand: `oneko store` serves the MongoDB wire protocol on the address it prints,
// keeps what is written in --dir, and stops cleanly with its context (SIGTERM in the binary).
// Bad arguments exit 2 with the usage.
func TestStoreCommand(t *testing.T) {
	var errOut bytes.Buffer
	if code := runStore(t.Context(), []string{"extra"}, &bytes.Buffer{}, &errOut); code != 2 || !bytes.Contains(errOut.Bytes(), []byte("usage: oneko store")) {
		t.Fatalf("exit %d, stderr %q; want 2 and the usage", code, errOut.String())
	}
	dir := t.TempDir()
	serve := func() (string, func()) {
		ctx, cancel := context.WithCancel(t.Context())
		var out syncBuffer
		done := make(chan int, 1)
		go func() {
			done <- runStore(ctx, []string{"--listen", "127.0.0.1:0", "--dir", dir}, &out, &bytes.Buffer{})
		}()
		re := regexp.MustCompile(`serving (mongodb://\S+)`)
		deadline := time.Now().Add(30 * time.Second)
		for re.FindStringSubmatch(out.String()) == nil {
			select {
			case code := <-done:
				t.Fatalf("oneko store exited with %d before serving", code)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatal("oneko store did not say where it serves within 30s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		return re.FindStringSubmatch(out.String())[1], func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("oneko store exited with %d after its context ended", code)
			}
		}
	}
	uri, stop := serve()
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Database("d").Collection("c").InsertOne(t.Context(), bson.D{{Key: "_id", Value: "kept"}}); err != nil {
		t.Fatal(err)
	}
	_ = c.Disconnect(context.Background())
	stop()

	uri, stop = serve()
	defer stop()
	c, err = mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(context.Background())
	if n, err := c.Database("d").Collection("c").CountDocuments(t.Context(), bson.D{{Key: "_id", Value: "kept"}}); err != nil || n != 1 {
		t.Fatalf("after a restart: %d documents, %v; want the one written before", n, err)
	}
}
