package migrate

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// runner is Up's or Status's view of one database: its dialect's
// strategy and the migrations to apply.
type runner struct {
	opts    Options
	dialect dialect.Name
	scripts []script
	// lock serialises whole runs (PostgreSQL); nil when begin alone
	// serialises (SQLite).
	lock func(context.Context, bun.Conn, Options) (func(), error)
	// begin opens one migration transaction.
	begin beginFunc
}

// newRunner resolves opts and db's dialect and loads the migrations.
func newRunner(db *bun.DB, opts Options) (*runner, error) {
	r := &runner{opts: opts.withDefaults(), dialect: db.Dialect().Name()}
	switch r.dialect {
	case dialect.PG:
		r.lock, r.begin = lockPG, beginSQL
	case dialect.SQLite:
		r.begin = beginImmediate(r.opts)
	default:
		return nil, fmt.Errorf("migrate: unsupported dialect %s (want pg or sqlite)", r.dialect)
	}
	fsys := r.opts.FS
	if fsys == nil {
		var err error
		if fsys, err = Embedded(r.dialect); err != nil {
			return nil, err
		}
	}
	scripts, err := load(fsys)
	if err != nil {
		return nil, fmt.Errorf("%w (dialect %s)", err, r.dialect)
	}
	r.scripts = scripts
	return r, nil
}

// known reports whether id names one of r's migrations.
func (r *runner) known(id string) bool {
	for _, s := range r.scripts {
		if s.id == id {
			return true
		}
	}
	return false
}

// embeddedDirs are the dialects' directories inside embeddedFS.
var embeddedDirs = map[dialect.Name]string{
	dialect.PG:     "sql/postgres",
	dialect.SQLite: "sql/sqlite",
}

// Embedded returns the migration files compiled into the binary for the
// dialect d (dialect.PG or dialect.SQLite), rooted at their directory.
func Embedded(d dialect.Name) (fs.FS, error) {
	dir, ok := embeddedDirs[d]
	if !ok {
		return nil, fmt.Errorf("migrate: no embedded migrations for dialect %s", d)
	}
	if _, err := fs.Stat(embeddedFS, dir); err != nil {
		return nil, fmt.Errorf("migrate: %w embedded for dialect %s (%s: %v)", ErrNoMigrations, d, dir, err)
	}
	return fs.Sub(embeddedFS, dir)
}
