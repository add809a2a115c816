package auth

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestPasswordHashing(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, "correct horse") {
		t.Fatalf("hash = %q", h)
	}
	bc, _ := bcrypt.GenerateFromPassword([]byte("from o-neko"), bcrypt.MinCost)
	for name, tc := range map[string]struct {
		hash, pw string
		ok       bool
		err      bool
	}{
		"argon2id right": {h, "correct horse battery", true, false},
		"argon2id wrong": {h, "correct horse batterY", false, false},
		"bcrypt right":   {string(bc), "from o-neko", true, false},
		"bcrypt wrong":   {string(bc), "from o-nekO", false, false},
		"dummy":          {dummyHash, "anything", false, false},
		"unknown format": {"md5:abc", "x", false, true},
		"damaged argon2": {"$argon2id$v=19$m=1,t=1,p=1$!!$!!", "x", false, true},
	} {
		t.Run(name, func(t *testing.T) {
			ok, err := VerifyPassword(tc.hash, tc.pw)
			if ok != tc.ok || (err != nil) != tc.err {
				t.Fatalf("VerifyPassword = %v, %v; want %v, err=%v", ok, err, tc.ok, tc.err)
			}
		})
	}
}

func TestSecrets(t *testing.T) {
	a, _ := NewTokenSecret()
	b, _ := NewTokenSecret()
	if a == b || !strings.HasPrefix(a, TokenPrefix) || len(a) < 40 {
		t.Fatalf("token secrets %q %q", a, b)
	}
	again := a
	if HashSecret(a) == HashSecret(b) || HashSecret(a) != HashSecret(again) || strings.Contains(HashSecret(a), a) || len(HashSecret(a)) != 64 {
		t.Fatal("HashSecret not a stable distinct hash")
	}
}
