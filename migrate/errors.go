package migrate

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrSchemaNewer reports a database that holds applied migrations this
// binary does not know: it was migrated by a newer binary and is refused
// rather than used or downgraded. Match it with errors.Is; the error itself
// is a *SchemaNewerError.
var ErrSchemaNewer = errors.New("schema is newer than this binary")

// ErrLockTimeout reports that the migration lock was not acquired within
// Options.LockTimeout. Match it with errors.Is; the error itself is a
// *LockTimeoutError.
var ErrLockTimeout = errors.New("timed out waiting for the migration lock")

// ErrNoMigrations reports a migration source holding no migration files.
var ErrNoMigrations = errors.New("no migrations found")

// SchemaNewerError is the error Up returns for a database holding applied
// migrations this binary does not know.
type SchemaNewerError struct {
	// Unknown lists the recorded names (bun's migration IDs) this binary
	// does not have, sorted.
	Unknown []string
}

// Error implements error.
func (e *SchemaNewerError) Error() string {
	return fmt.Sprintf("migrate: %s: the database records applied migrations this binary does not know: %s "+
		"(run a binary at least as new as the one that migrated it; downgrades are not supported)",
		ErrSchemaNewer, strings.Join(e.Unknown, ", "))
}

// Is reports whether target is ErrSchemaNewer.
func (e *SchemaNewerError) Is(target error) bool { return target == ErrSchemaNewer }

// LockHolder describes a PostgreSQL session holding the migration lock, as
// pg_locks joined with pg_stat_activity report it.
type LockHolder struct {
	// PID is the backend process id of the holding session.
	PID int
	// ApplicationName is the session's application_name (may be empty).
	ApplicationName string
	// User is the session's user name.
	User string
	// ClientAddr is the session's client address (empty for Unix sockets).
	ClientAddr string
}

// String formats h for error and log messages.
func (h LockHolder) String() string {
	return fmt.Sprintf("pid %d (application_name %q, user %q, client %q)", h.PID, h.ApplicationName, h.User, h.ClientAddr)
}

// LockTimeoutError is the error Up returns when the migration lock stays
// held by someone else for longer than Options.LockTimeout.
type LockTimeoutError struct {
	// Timeout is the wait that elapsed.
	Timeout time.Duration
	// Dialect is "pg" or "sqlite".
	Dialect string
	// Holders are the sessions seen holding the lock when the wait gave up
	// (PostgreSQL only; SQLite cannot tell who holds its write lock).
	Holders []LockHolder
}

// Error implements error.
func (e *LockTimeoutError) Error() string {
	var who string
	switch {
	case len(e.Holders) > 0:
		parts := make([]string, len(e.Holders))
		for i, h := range e.Holders {
			parts[i] = h.String()
		}
		who = "held by " + strings.Join(parts, ", ")
	case e.Dialect == "sqlite":
		who = "the SQLite write lock is held by another connection"
	default:
		who = "holder unknown (it released the lock while being looked up)"
	}
	return fmt.Sprintf("migrate: %s after %s: %s", ErrLockTimeout, e.Timeout, who)
}

// Is reports whether target is ErrLockTimeout.
func (e *LockTimeoutError) Is(target error) bool { return target == ErrLockTimeout }
