package auth

import (
	"os"
	"testing"

	"github.com/oneko/oneko/internal/testenv"
)

// redisSrv is the redis-server of this test binary.
var redisSrv *testenv.Redis

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, testenv.Needs{Redis: true}, func(s *testenv.Shared) error { redisSrv = s.Redis; return nil }))
}
