package migrate

import (
	"context"
	"fmt"
	"hash/crc32"
	"time"

	"github.com/uptrace/bun"
)

// The PostgreSQL advisory lock serialising Up: the two-int4 form, so that
// pg_locks shows the keys as classid and objid (objsubid 2). Advisory
// locks are per database, so databases on one server do not contend.
const lockClassID int32 = 0x63666773 // "cfgs"

// lockObjID is the second key, derived from the migrations table name.
var lockObjID = int32(crc32.ChecksumIEEE([]byte(TableName)) & 0x7fffffff)

// lockPG takes the migration advisory lock on conn, a dedicated session,
// polling pg_try_advisory_lock until o.LockTimeout has passed. While it
// waits it logs the holders; on timeout it returns a *LockTimeoutError
// naming them. The returned unlock releases the lock, and if that fails
// discards the connection so the session (and its lock) ends rather than
// going back to the pool.
func lockPG(ctx context.Context, conn bun.Conn, o Options) (unlock func(), err error) {
	deadline := time.Now().Add(o.LockTimeout)
	w := newWaiter(o, "pg")
	for {
		var ok bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?, ?)", lockClassID, lockObjID).Scan(&ok); err != nil {
			return nil, fmt.Errorf("migrate: take advisory lock: %w", err)
		}
		if ok {
			return func() { unlockPG(ctx, conn, o) }, nil
		}
		holders, err := lockHolders(ctx, conn)
		if err != nil {
			return nil, err
		}
		if !time.Now().Before(deadline) {
			return nil, &LockTimeoutError{Timeout: o.LockTimeout, Dialect: "pg", Holders: holders}
		}
		w.logWaiting("migrate: waiting for the migration advisory lock", "holders", holders)
		if err := w.sleep(ctx, deadline); err != nil {
			return nil, err
		}
	}
}

// unlockPG releases the advisory lock taken by lockPG.
func unlockPG(ctx context.Context, conn bun.Conn, o Options) {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	var ok bool
	err := conn.QueryRowContext(cctx, "SELECT pg_advisory_unlock(?, ?)", lockClassID, lockObjID).Scan(&ok)
	if err != nil || !ok {
		o.Logger.Warn("migrate: releasing the advisory lock failed; discarding the connection", "error", err, "released", ok)
		discard(conn)
	}
}

// lockHolders lists the sessions holding the migration advisory lock in
// the current database.
func lockHolders(ctx context.Context, conn bun.Conn) ([]LockHolder, error) {
	rows, err := conn.QueryContext(ctx, `
SELECT l.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''), coalesce(host(a.client_addr), '')
FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::int8 = ? AND l.objid::int8 = ? AND l.objsubid = 2
ORDER BY l.pid`, lockClassID, lockObjID)
	if err != nil {
		return nil, fmt.Errorf("migrate: look up the advisory lock holder: %w", err)
	}
	defer rows.Close()
	var hs []LockHolder
	for rows.Next() {
		var h LockHolder
		if err := rows.Scan(&h.PID, &h.ApplicationName, &h.User, &h.ClientAddr); err != nil {
			return nil, fmt.Errorf("migrate: look up the advisory lock holder: %w", err)
		}
		hs = append(hs, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: look up the advisory lock holder: %w", err)
	}
	return hs, nil
}
