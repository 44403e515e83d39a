package postgres

import (
	"context"
	"database/sql"
	"fmt"
)

// writeLockClass is the first key of the advisory lock that serializes
// write transactions ("cfwr"); the second is a hash of the schema, so
// stores in different schemas of one database do not contend. Advisory
// lock keys of the two-int4 form do not collide with single-bigint ones,
// and the migration lock (package migrate) uses another first key.
const writeLockClass int32 = 0x63667772

// lockWriter sends begin, which starts a transaction on conn, and takes
// the write lock in it: a transaction-scoped advisory lock, released by the
// commit or rollback. Uncontended, the statement sent with begin takes it
// (pg_try_advisory_xact_lock). Otherwise the wait for it honours ctx: when
// ctx ends, the waiting statement is cancelled on the server (pgdriver
// itself only honours deadlines), and ctx's error is returned.
func (d dialect) lockWriter(ctx context.Context, conn *sql.Conn, begin string) error {
	var pid int64
	err := conn.QueryRowContext(ctx,
		begin+"SELECT CASE WHEN pg_try_advisory_xact_lock($1, hashtext(current_schema())) THEN 0 ELSE pg_backend_pid() END",
		writeLockClass).Scan(&pid)
	if err != nil || pid == 0 {
		return err
	}
	cancelled := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(cancelled)
		_ = d.cancel(context.WithoutCancel(ctx), pid)
	})
	_, err = conn.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", writeLockClass)
	if !stop() {
		// The cancel ran or is running: wait, so that it cannot hit a
		// later statement of this connection.
		<-cancelled
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("wait for the write lock: %w", ctxErr)
	}
	if err != nil {
		return fmt.Errorf("take the write lock: %w", err)
	}
	return nil
}
