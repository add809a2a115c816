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
	sealed, err := b.Seal("hunter2-registry-password", "dockerRegistries/r1/password")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("sealed value contains the plaintext")
	}
	got, err := b.Open(sealed, "dockerRegistries/r1/password")
	if err != nil || got != "hunter2-registry-password" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	again, _ := b.Seal("hunter2-registry-password", "dockerRegistries/r1/password")
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are equal: nonce reused")
	}
	other, _ := NewBox(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed, "dockerRegistries/r1/password"); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open with another key = %v, want ErrOpen", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := b.Open(sealed, "dockerRegistries/r1/password"); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open of damaged data = %v, want ErrOpen", err)
	}
	if s, err := b.Seal("", "dockerRegistries/r1/password"); err != nil || s != nil {
		t.Fatalf("Seal(\"\") = %v, %v", s, err)
	}
}

// TestSealedValuesAreBound: a sealed value opens only in the document and field it was sealed for,
// while values sealed before binding existed (format 1) still open.
func TestSealedValuesAreBound(t *testing.T) {
	b, err := NewBox(bytes.Repeat([]byte{7}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	here := Binding("dockerRegistries", "r1", "password")
	sealed, err := b.Seal("pa55", here)
	if err != nil {
		t.Fatal(err)
	}
	if IsLegacy(sealed) {
		t.Fatal("a new value is sealed in the legacy format")
	}
	for _, elsewhere := range []string{
		Binding("dockerRegistries", "r2", "password"),      // another document
		Binding("dockerRegistries", "r1", "webhookSecret"), // another field
		Binding("helmRegistries", "r1", "password"),        // another kind
	} {
		if _, err := b.Open(sealed, elsewhere); !errors.Is(err, ErrOpen) {
			t.Errorf("Open for %s = %v, want ErrOpen", elsewhere, err)
		}
	}
	if got, err := b.Open(sealed, here); err != nil || got != "pa55" {
		t.Fatalf("Open for its own place = %q, %v", got, err)
	}
	if _, err := b.Seal("pa55", ""); err == nil {
		t.Fatal("Seal without a binding succeeded")
	}

	// A value as the earlier format wrote it: version 1, nonce, GCM with the version as AD.
	nonce := bytes.Repeat([]byte{3}, b.aead.NonceSize())
	old := b.aead.Seal(append([]byte{1}, nonce...), nonce, []byte("old-secret"), []byte{1})
	if !IsLegacy(old) {
		t.Fatal("IsLegacy(format 1) = false")
	}
	if got, err := b.Open(old, here); err != nil || got != "old-secret" {
		t.Fatalf("Open of a legacy value = %q, %v", got, err)
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
