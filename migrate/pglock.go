package migrate

import (
	"context"
	"fmt"
	"hash/crc32"
	"time"

	"github.com/uptrace/bun"
)

// lockClassID is the first key of the PostgreSQL advisory lock serialising
// Up ("cfgs" in ASCII). The lock uses the two-int4 form, so pg_locks shows
// the keys as classid and objid (objsubid 2).
const lockClassID int32 = 0x63666773

// pgLockKey is the advisory lock guarding one migrations table.
type pgLockKey struct{ class, obj int32 }

// lockKey returns the advisory lock key for the migrations table conn's
// search_path resolves to: the second key is derived from the current
// schema and TableName. Advisory locks are per database, so databases on
// one server, and schemas in one database, do not contend.
func lockKey(ctx context.Context, conn bun.Conn) (pgLockKey, error) {
	var schema string
	if err := conn.QueryRowContext(ctx, "SELECT coalesce(current_schema(), '')").Scan(&schema); err != nil {
		return pgLockKey{}, fmt.Errorf("migrate: read current_schema: %w", err)
	}
	obj := int32(crc32.ChecksumIEEE([]byte(schema+"."+TableName)) & 0x7fffffff)
	return pgLockKey{class: lockClassID, obj: obj}, nil
}

// lockPG takes the migration advisory lock on conn, a dedicated session,
// polling pg_try_advisory_lock until o.LockTimeout has passed. While it
// waits it logs the holders; on timeout it returns a *LockTimeoutError
// naming them. The returned unlock releases the lock, and if that fails
// discards the connection so the session (and its lock) ends rather than
// going back to the pool.
func lockPG(ctx context.Context, conn bun.Conn, o Options) (unlock func(), err error) {
	key, err := lockKey(ctx, conn)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(o.LockTimeout)
	w := newWaiter(o, "pg")
	for {
		var ok bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?, ?)", key.class, key.obj).Scan(&ok); err != nil {
			// The server may have granted the lock before the error (a
			// cancelled read): end the session rather than pool it.
			discard(conn)
			return nil, fmt.Errorf("migrate: take advisory lock: %w", err)
		}
		if ok {
			return func() { unlockPG(ctx, conn, key, o) }, nil
		}
		holders, err := lockHolders(ctx, conn, key)
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
func unlockPG(ctx context.Context, conn bun.Conn, key pgLockKey, o Options) {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	var ok bool
	err := conn.QueryRowContext(cctx, "SELECT pg_advisory_unlock(?, ?)", key.class, key.obj).Scan(&ok)
	if err != nil || !ok {
		o.Logger.Warn("migrate: releasing the advisory lock failed; discarding the connection", "error", err, "released", ok)
		discard(conn)
	}
}

// lockHolders lists the sessions holding the advisory lock key in the
// current database.
func lockHolders(ctx context.Context, conn bun.Conn, key pgLockKey) ([]LockHolder, error) {
	rows, err := conn.QueryContext(ctx, `
SELECT l.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''), coalesce(host(a.client_addr), '')
FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::int8 = ? AND l.objid::int8 = ? AND l.objsubid = 2
ORDER BY l.pid`, key.class, key.obj)
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
