package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"

	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/uptrace/bun/driver/pgdriver"
)

var _ sqlstore.Preparer = dialect{}

// maxPreparedPerConn is the most statements the store prepares on one
// connection; a statement beyond them runs as text.
const maxPreparedPerConn = 64

// preparedStatements follows, per connection (pgdriver's driver.Conn),
// the statements prepared on it: PREPARE lasts as long as the connection
// (it is not undone by a rollback), and a connection that closed is
// forgotten the next time one is added.
type preparedStatements struct {
	mu    sync.Mutex
	conns map[driver.Validator]map[string]string // statement name -> its query
}

func newPreparedStatements() *preparedStatements {
	return &preparedStatements{conns: map[driver.Validator]map[string]string{}}
}

// sqlstateDuplicatePrepared is PostgreSQL's answer to a PREPARE of a name
// the session holds.
const sqlstateDuplicatePrepared = "42P05"

// Prepare implements sqlstore.Preparer with PREPARE, sent on its own: its
// text must not carry bind parameters, which pgdriver writes into the text
// of a statement that has any, and its failure then aborts no transaction
// (the store prepares only before a transaction begins). The statement's
// name is a hash of query: a PREPARE the server answers with "already
// exists" (after Forget) finds the statement there. A store that prepares
// nothing returns "".
func (d dialect) Prepare(ctx context.Context, conn *sql.Conn, query string, args int) (string, error) {
	if d.prepared == nil {
		return "", nil
	}
	name := statementName(query)
	dc := driverConn(conn)
	if dc == nil {
		return "", nil
	}
	prepared, ok := d.prepared.lookup(dc, name, query)
	if !ok {
		return "", nil
	}
	if !prepared {
		if _, err := conn.ExecContext(ctx, "PREPARE "+name+" AS "+query); err != nil {
			var pgErr pgdriver.Error
			if !errors.As(err, &pgErr) || pgErr.Field('C') != sqlstateDuplicatePrepared {
				return "", err
			}
		}
		d.prepared.add(dc, name, query)
	}
	var b strings.Builder
	b.WriteString("EXECUTE " + name)
	for i := range args {
		if i == 0 {
			b.WriteString("(")
		} else {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1))
	}
	if args > 0 {
		b.WriteString(")")
	}
	return b.String(), nil
}

// Forget implements sqlstore.Preparer.
func (d dialect) Forget(conn *sql.Conn, query string) {
	if dc := driverConn(conn); dc != nil && d.prepared != nil {
		d.prepared.forget(dc, statementName(query))
	}
}

// statementName is the name query is prepared under.
func statementName(query string) string {
	h := fnv.New64a()
	h.Write([]byte(query))
	return "configstore_" + strconv.FormatUint(h.Sum64(), 36)
}

// driverConn returns conn's driver connection, which pgdriver's reports the
// state of, or nil.
func driverConn(conn *sql.Conn) driver.Validator {
	var dc driver.Validator
	_ = conn.Raw(func(c any) error {
		dc, _ = c.(driver.Validator)
		return nil
	})
	return dc
}

// lookup reports whether dc holds name prepared as query, and ok: whether
// it holds it or has room for it (false also when another query holds
// the name, which a hash collision would do).
func (p *preparedStatements) lookup(dc driver.Validator, name, query string) (prepared, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	stmts := p.conns[dc]
	if q, held := stmts[name]; held {
		return q == query, q == query
	}
	return false, len(stmts) < maxPreparedPerConn
}

// forget notes that dc may not hold name.
func (p *preparedStatements) forget(dc driver.Validator, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns[dc], name)
}

// add notes that dc holds name prepared as query.
func (p *preparedStatements) add(dc driver.Validator, name, query string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	stmts, ok := p.conns[dc]
	if !ok {
		for c := range p.conns {
			if !c.IsValid() {
				delete(p.conns, c)
			}
		}
		stmts = map[string]string{}
		p.conns[dc] = stmts
	}
	stmts[name] = query
}
