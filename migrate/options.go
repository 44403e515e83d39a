package migrate

import (
	"io/fs"
	"log/slog"
	"time"
)

// DefaultLockTimeout is how long Up waits for the migration lock when
// Options.LockTimeout is zero.
const DefaultLockTimeout = 60 * time.Second

// Options configures Up and Status. The zero value is ready to use.
type Options struct {
	// Logger receives progress, waits for the lock and applied migrations
	// (default slog.Default()).
	Logger *slog.Logger
	// LockTimeout bounds the wait for the migration lock: the PostgreSQL
	// advisory lock, or the SQLite write lock of one migration transaction
	// (default DefaultLockTimeout).
	LockTimeout time.Duration
	// FS, when set, replaces the embedded migrations of the database's
	// dialect; its root holds the migration files. Meant for tests.
	FS fs.FS
}

// withDefaults returns o with its zero fields filled in.
func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	return o
}
