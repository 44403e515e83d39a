package configstore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Migrator is an optional Backend capability: a backend whose schema is
// versioned by migrations reports their state. The SQL backends have it; the
// memory backend, which has no schema, does not.
type Migrator interface {
	// MigrationStatus reports the database's schema: every migration the
	// binary knows, oldest first, then those the database records but the
	// binary does not know.
	MigrationStatus(ctx context.Context) (SchemaStatus, error)
}

// SchemaStatus is the schema state of a store's database.
type SchemaStatus struct {
	// Dialect is the database's SQL dialect ("sqlite", "postgres").
	Dialect string `json:"dialect"`
	// Encoding is the database's character encoding where the database has
	// one to check (PostgreSQL: "UTF8"); empty otherwise.
	Encoding string `json:"encoding,omitempty"`
	// Migrations lists the migrations, oldest first.
	Migrations []Migration `json:"migrations"`
}

// Migration is the state of one schema migration.
type Migration struct {
	// Name is "<timestamp>_<name>".
	Name string `json:"name"`
	// Applied reports whether the database records the migration, and
	// AppliedAt when it was applied.
	Applied   bool      `json:"applied"`
	AppliedAt time.Time `json:"applied_at,omitzero"`
	// Unknown marks a migration the database records but this binary does
	// not have: the schema is newer than the binary.
	Unknown bool `json:"unknown,omitempty"`
}

// Version returns the name of the newest applied migration, "" when none is.
func (s SchemaStatus) Version() string {
	version := ""
	for _, m := range s.Migrations {
		if m.Applied {
			version = m.Name
		}
	}
	return version
}

// Pending returns the migrations not applied yet, oldest first.
func (s SchemaStatus) Pending() []Migration {
	var out []Migration
	for _, m := range s.Migrations {
		if !m.Applied {
			out = append(out, m)
		}
	}
	return out
}

// MigrationStatus returns the schema status of cs's database. A store Open
// migrated has nothing pending; open it WithoutMigrations to see what a
// database lacks before migrating it. It fails with
// an error wrapping errors.ErrUnsupported when cs's backend has no
// migrations (the memory backend), and with ErrInvalid when cs was not
// opened by this package.
func MigrationStatus(ctx context.Context, cs ConfigStore) (SchemaStatus, error) {
	s, ok := cs.(*store)
	if !ok {
		return SchemaStatus{}, &messageError{err: ErrInvalid, msg: fmt.Sprintf("migration status: %T is not a store opened by configstore", cs)}
	}
	m, ok := s.backend.(Migrator)
	if !ok {
		return SchemaStatus{}, fmt.Errorf("migration status: backend %T has no schema migrations: %w", s.backend, errors.ErrUnsupported)
	}
	return m.MigrationStatus(ctx)
}
