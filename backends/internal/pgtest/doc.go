// Package pgtest gives tests a PostgreSQL server, and an isolated schema or
// database on it per test.
//
// The server is the one CONFIGSTORE_TEST_POSTGRES_DSN names; without it, a
// postgres:16 container started through Docker (github.com/ory/dockertest)
// when a Docker daemon answers; without that the test is skipped, loudly,
// or fails when CONFIGSTORE_REQUIRE_POSTGRES=1 (CI).
package pgtest
