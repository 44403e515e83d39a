package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxStatements bounds the prepared statements a statementCache keeps per
// database: statement texts repeat (one per kind and operation, and per
// length of short IN lists), so a few hundred cover the working set.
const maxStatements = 512

// statementCache keeps the statements run on one database prepared, so a
// statement the database has parsed and planned once is not parsed again:
// on SQLite, parsing costs more than running a point read or a one-row
// insert. database/sql prepares a cached statement on a connection the
// first time a transaction on that connection uses it, and keeps it there.
//
// A statement is prepared into the cache only after the transaction that
// first ran it has ended (see add): preparing takes a connection of the
// pool, and a transaction holding the writer's only connection, or one of
// a busy reader pool's, would wait for it forever.
type statementCache struct {
	db     *sql.DB
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	closed bool // close has run: add keeps nothing
}

func newStatementCache(db *sql.DB) *statementCache {
	return &statementCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// lookup returns the prepared statement of query, or nil if it is not
// prepared yet. A nil cache has none.
func (c *statementCache) lookup(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// add prepares queries, which a transaction that has ended ran unprepared.
// The caller must hold no connection of the pool. A query that fails to
// prepare stays unprepared (it ran fine as text, and the next transaction
// that runs it tries again): preparing is only a saving.
func (c *statementCache) add(ctx context.Context, queries []string) {
	if c == nil {
		return
	}
	for _, query := range queries {
		if c.lookup(query) != nil {
			continue
		}
		stmt, err := c.db.PrepareContext(ctx, query)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.stmts[query]; ok || c.closed {
			_ = stmt.Close() // another transaction prepared it meanwhile, or the store is closing
		} else {
			if len(c.stmts) >= maxStatements {
				for q, old := range c.stmts { // evict one, any
					_ = old.Close() // database/sql closes it once its users are done
					delete(c.stmts, q)
					break
				}
			}
			c.stmts[query] = stmt
		}
		c.mu.Unlock()
	}
}

// close closes every statement; a nil cache has none.
func (c *statementCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var errs []error
	for q, stmt := range c.stmts {
		errs = append(errs, stmt.Close())
		delete(c.stmts, q)
	}
	return errors.Join(errs...)
}
