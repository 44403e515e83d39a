package migrate

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// MigrationStatus is the state of one migration in a database.
type MigrationStatus struct {
	// Name is the migration's file stem, "<timestamp>_<name>"; for a
	// migration this binary does not know (Unknown), the recorded
	// timestamp ID alone.
	Name string
	// Applied reports whether the database records the migration.
	Applied bool
	// AppliedAt is when it was applied (zero when not applied).
	AppliedAt time.Time
	// Unknown marks a migration the database records but this binary does
	// not have: the schema is newer than the binary and Up refuses it.
	Unknown bool
}

// Status reports every migration of db's dialect, oldest first, followed
// by the recorded migrations this binary does not know (Unknown). It only
// reads: on a database never migrated, every migration is pending and no
// table is created. It takes no lock, so it may observe a concurrent Up
// half-way.
func Status(ctx context.Context, db *bun.DB, opts Options) ([]MigrationStatus, error) {
	r, err := newRunner(db, opts)
	if err != nil {
		return nil, err
	}
	exists, err := tableExists(ctx, db)
	if err != nil {
		return nil, err
	}
	applied := make(map[string]time.Time)
	var unknown []MigrationStatus
	if exists {
		rows, err := readApplied(ctx, db)
		if err != nil {
			return nil, err
		}
		for _, m := range rows {
			applied[m.Name] = m.MigratedAt
			if !r.known(m.Name) {
				unknown = append(unknown, MigrationStatus{Name: m.Name, Applied: true, AppliedAt: m.MigratedAt, Unknown: true})
			}
		}
	}
	out := make([]MigrationStatus, 0, len(r.scripts)+len(unknown))
	for _, s := range r.scripts {
		at, ok := applied[s.id]
		out = append(out, MigrationStatus{Name: s.name(), Applied: ok, AppliedAt: at})
	}
	return append(out, unknown...), nil
}
