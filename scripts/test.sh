#!/usr/bin/env bash
# Runs the whole test suite: go vet, every package's tests against real
# SQLite files and a real PostgreSQL, then the SQLite backend again with
# CGO_ENABLED=0 and with -tags cgosqlite. (bun's sqliteshim uses the pure-Go
# modernc driver wherever it can, with or without cgo; the cgosqlite tag
# selects the cgo mattn/go-sqlite3 driver, whose error codes the backend
# maps separately.)
#
# PostgreSQL: with CONFIGSTORE_TEST_POSTGRES_DSN set, that server is used.
# Otherwise, if a local cluster exists (pg_ctlcluster), it is started when
# pg_isready fails, a throwaway database is created for this run and dropped
# at exit. Without PostgreSQL the Postgres tests skip loudly, unless
# CONFIGSTORE_REQUIRE_POSTGRES=1 (CI), which makes a skip a failure.
#
# GOTESTFLAGS adds flags to go test (CI passes -race).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_host=${PGHOST:-127.0.0.1}
pg_port=${PGPORT:-5432}
pg_user=${PGUSER:-postgres}

if [ -z "${CONFIGSTORE_TEST_POSTGRES_DSN:-}" ] && command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -q -h "$pg_host" -p "$pg_port"; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      echo "starting PostgreSQL" >&2
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h "$pg_host" -p "$pg_port" && break; sleep 1; done
    fi
  fi
  if pg_isready -q -h "$pg_host" -p "$pg_port"; then
    db="configstore_test_$(date +%s)_$$"
    psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres \
      -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
    trap 'psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
    export CONFIGSTORE_TEST_POSTGRES_DSN="postgres://$pg_user@$pg_host:$pg_port/$db?sslmode=disable"
    echo "PostgreSQL tests use database $db" >&2
  fi
fi

go vet ./...
# shellcheck disable=SC2086 # GOTESTFLAGS is a list of flags
go test ${GOTESTFLAGS:-} -count=1 -timeout 30m ./...
CGO_ENABLED=0 go test -count=1 -timeout 15m ./backends/sqlite/...
# shellcheck disable=SC2086
go test ${GOTESTFLAGS:-} -count=1 -timeout 15m -tags cgosqlite ./backends/sqlite/...
