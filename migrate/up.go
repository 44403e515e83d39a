package migrate

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	bunmigrate "github.com/uptrace/bun/migrate"
)

// Up applies every pending migration of db's dialect, oldest first, each in
// its own transaction together with its bookkeeping row (see the package
// documentation for the guarantees). It returns nil when nothing is
// pending, an error wrapping ErrSchemaNewer when the database records
// migrations this binary does not know (nothing is applied then), an error
// wrapping ErrLockTimeout when the migration lock stays held longer than
// opts.LockTimeout, and the failing migration's error otherwise; migrations
// before the failing one stay applied.
func Up(ctx context.Context, db *bun.DB, opts Options) error {
	r, err := newRunner(db, opts)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: get a connection: %w", err)
	}
	defer conn.Close()
	if r.lock != nil {
		unlock, err := r.lock(ctx, conn, r.opts)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := inTx(ctx, conn, r.begin, ensureTables); err != nil {
		return err
	}
	return r.applyPending(ctx, conn)
}

// applyPending applies the pending migrations one transaction at a time.
// Each transaction re-reads the applied set under the lock, refuses a newer
// schema, and applies and records the oldest pending migration.
func (r *runner) applyPending(ctx context.Context, conn bun.Conn) error {
	var (
		groupID int64
		applied []string
		started = time.Now()
	)
	for {
		var next *script
		t0 := time.Now()
		err := inTx(ctx, conn, r.begin, func(ctx context.Context, tx bun.IDB) error {
			rows, err := readApplied(ctx, tx)
			if err != nil {
				return err
			}
			if err := r.checkNotNewer(rows); err != nil {
				return err
			}
			next = r.firstPending(rows)
			if next == nil {
				return nil
			}
			if groupID == 0 {
				groupID = lastGroupID(rows) + 1
			}
			for i, stmt := range next.statements {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migrate: %s: statement %d: %w", next.file, i+1, err)
				}
			}
			if err := record(ctx, tx, *next, groupID); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
		if next == nil {
			break
		}
		applied = append(applied, next.name())
		r.opts.Logger.Info("migrate: applied migration", "dialect", r.dialect.String(),
			"migration", next.name(), "duration", time.Since(t0))
	}
	if len(applied) > 0 {
		r.opts.Logger.Info("migrate: schema up to date", "dialect", r.dialect.String(),
			"applied", len(applied), "group_id", groupID, "duration", time.Since(started))
	}
	return nil
}

// checkNotNewer returns a *SchemaNewerError if rows record migrations r
// does not know.
func (r *runner) checkNotNewer(rows []bunmigrate.Migration) error {
	var unknown []string
	for _, m := range rows {
		if !r.known(m.Name) {
			unknown = append(unknown, m.Name)
		}
	}
	if len(unknown) > 0 {
		return &SchemaNewerError{Unknown: unknown}
	}
	return nil
}

// firstPending returns the oldest of r's migrations rows do not record.
func (r *runner) firstPending(rows []bunmigrate.Migration) *script {
	done := make(map[string]bool, len(rows))
	for _, m := range rows {
		done[m.Name] = true
	}
	for i := range r.scripts {
		if !done[r.scripts[i].id] {
			return &r.scripts[i]
		}
	}
	return nil
}

// lastGroupID is the highest group ID rows record (0 for none).
func lastGroupID(rows []bunmigrate.Migration) int64 {
	var g int64
	for _, m := range rows {
		g = max(g, m.GroupID)
	}
	return g
}
