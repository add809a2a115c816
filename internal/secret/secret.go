// Package secret encrypts the secrets oneko stores (registry passwords, webhook secrets) with
// AES-256-GCM under one key. It does not hash passwords or tokens: see package auth.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of a key in bytes (AES-256).
const KeySize = 32

// Format versions: the first byte of every sealed value.
//   - legacy (1): AES-GCM with the version byte as associated data. Values written before sealed
//     secrets were bound to their place; they still open, and are rewritten bound on the next save.
//   - bound (2): AES-GCM with the version byte and the binding (document and field, e.g.
//     "dockerRegistry/<id>/password") as associated data, so a sealed value copied into another
//     document or field does not open there.
const (
	legacy byte = 1
	bound  byte = 2
)

// ErrOpen is returned when a sealed value cannot be decrypted: wrong key or damaged data.
var ErrOpen = errors.New("secret: cannot decrypt (wrong ONEKO_SECRET_KEY, damaged data, or a value copied from another document or field)")

// Box seals and opens secrets with one key.
type Box struct {
	aead cipher.AEAD
}

// NewBox returns a Box for a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: new cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: new GCM: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Binding names the place a sealed value belongs to: the kind of document, its id and the field.
func Binding(kind, id, field string) string {
	return kind + "/" + id + "/" + field
}

// associatedData is what a sealed value of format v is authenticated with besides its text.
func associatedData(v byte, binding string) []byte {
	if v == legacy {
		return []byte{legacy}
	}
	return append([]byte{v}, binding...)
}

// Seal encrypts plaintext bound to binding (see Binding): it opens only with the same binding.
// The empty string seals to nil (no secret).
func (b *Box) Seal(plaintext, binding string) ([]byte, error) {
	if plaintext == "" {
		return nil, nil
	}
	if binding == "" {
		return nil, errors.New("secret: seal needs a binding (document and field)")
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secret: nonce: %w", err)
	}
	out := append([]byte{bound}, nonce...)
	return b.aead.Seal(out, nonce, []byte(plaintext), associatedData(bound, binding)), nil
}

// Open decrypts what Seal produced for the same binding, or a legacy value sealed before values
// were bound (whatever the binding); nil opens to the empty string.
func (b *Box) Open(sealed []byte, binding string) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	n := b.aead.NonceSize()
	if len(sealed) < 1+n || (sealed[0] != legacy && sealed[0] != bound) {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], associatedData(sealed[0], binding))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}

// IsLegacy reports whether a sealed value is of the format written before values were bound to
// their place (it opens, but is not protected against being copied elsewhere).
func IsLegacy(sealed []byte) bool {
	return len(sealed) > 0 && sealed[0] == legacy
}

// ParseKey reads a key given as 64 hex digits or as standard base64 of 32 bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	return nil, fmt.Errorf("secret: key must be 32 bytes as 64 hex digits or base64 (try: openssl rand -hex 32)")
}

// LoadOrCreateKeyFile reads the key kept in path, or creates a new random one there (mode 0600).
// Local mode uses it when ONEKO_SECRET_KEY is not set.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		return ParseKey(string(data))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("secret: read key file: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secret: generate key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("secret: create key dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("secret: write key file: %w", err)
	}
	return key, nil
}
