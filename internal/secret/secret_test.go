package secret

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	b, err := NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := b.Seal("hunter2-registry-password")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("sealed value contains the plaintext")
	}
	got, err := b.Open(sealed)
	if err != nil || got != "hunter2-registry-password" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	again, _ := b.Seal("hunter2-registry-password")
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are equal: nonce reused")
	}
	other, _ := NewBox(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open with another key = %v, want ErrOpen", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := b.Open(sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open of damaged data = %v, want ErrOpen", err)
	}
	if s, err := b.Seal(""); err != nil || s != nil {
		t.Fatalf("Seal(\"\") = %v, %v", s, err)
	}
}

func TestParseKey(t *testing.T) {
	for name, tc := range map[string]struct {
		in string
		ok bool
	}{
		"hex":    {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", true},
		"base64": {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true},
		"short":  {"abcd", false},
		"junk":   {"not a key at all", false},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseKey(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseKey(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
			}
		})
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "secret.key")
	k1, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) || len(k1) != KeySize {
		t.Fatal("key file not reused")
	}
}
