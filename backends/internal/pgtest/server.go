package pgtest

import (
	"fmt"
	"net"
	"os"
	"sync"
	"testing"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"
)

// The environment variables the harness reads.
const (
	// EnvDSN names a PostgreSQL server for the tests, as a URL whose user
	// may create schemas and databases:
	// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
	EnvDSN = "CONFIGSTORE_TEST_POSTGRES_DSN"
	// EnvRequire set to 1 turns a missing server into a test failure.
	EnvRequire = "CONFIGSTORE_REQUIRE_POSTGRES"
)

var docker16 struct {
	once sync.Once
	dsn  string
	err  error
}

// ServerDSN returns the DSN of the test server, starting a container when
// needed. Without a server it skips t, or fails it under EnvRequire=1.
func ServerDSN(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return dsn
	}
	docker16.once.Do(func() { docker16.dsn, docker16.err = startContainer() })
	if docker16.err == nil {
		return docker16.dsn
	}
	msg := fmt.Sprintf("NO POSTGRESQL: PostgreSQL tests not run: set %s=postgres://user@host:5432/db?sslmode=disable "+
		"or run a Docker daemon (%v)", EnvDSN, docker16.err)
	if os.Getenv(EnvRequire) == "1" {
		t.Fatalf("%s; %s=1 requires PostgreSQL", msg, EnvRequire)
	}
	t.Skip(msg)
	return ""
}

// startContainer runs postgres:16 through Docker and waits until it
// accepts connections. The container removes itself when stopped and is
// stopped after ten minutes at the latest.
func startContainer() (string, error) {
	pool, err := dockertest.NewPool("")
	if err != nil {
		return "", fmt.Errorf("docker: %w", err)
	}
	if err := pool.Client.Ping(); err != nil {
		return "", fmt.Errorf("no Docker daemon: %w", err)
	}
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository: "postgres",
		Tag:        "16",
		Env:        []string{"POSTGRES_PASSWORD=configstore", "POSTGRES_INITDB_ARGS=--encoding=UTF8"},
	}, func(hc *docker.HostConfig) {
		hc.AutoRemove = true
		hc.RestartPolicy = docker.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return "", fmt.Errorf("start postgres:16: %w", err)
	}
	_ = res.Expire(600)
	host, port, _ := net.SplitHostPort(res.GetHostPort("5432/tcp"))
	dsn := fmt.Sprintf("postgres://postgres:configstore@%s/postgres?sslmode=disable", net.JoinHostPort(host, port))
	// The container takes a moment to accept connections; dockertest's
	// Retry polls with a backoff (there is no event to wait for).
	if err := pool.Retry(func() error { return ping(dsn) }); err != nil {
		_ = pool.Purge(res)
		return "", fmt.Errorf("postgres:16 did not start: %w", err)
	}
	return dsn, nil
}
