package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/gatewaykit/configstore"
)

var _ configstore.LastReader = (*txn)(nil)

// lastState follows configstore.LastReader on a read run as text on its
// connection.
type lastState int

const (
	notLast  lastState = iota
	lastNext           // Last was called: the next statement ends the read
	lastSent           // that statement went, with the end of the read
	lastDone           // its rows were read: the read has ended on the server
)

// errAfterLast is the error of a statement after the one Last announced.
var errAfterLast = errors.New("a read after the call announced as its last")

// Last implements configstore.LastReader for a read run as text on its
// connection (PostgreSQL), where it saves a round trip: the read's next
// statement carries its ROLLBACK, or, when it is the read's first, runs on
// its own, outside a transaction (one statement sees one snapshot). On a
// database/sql transaction (SQLite, in process) it does nothing.
func (t *txn) Last() {
	if t.tx == nil && !t.writable && t.last == notLast {
		t.last = lastNext
	}
}

// queryLast sends s as the statement that ends the read (see Last). The
// read has ended once s's rows are read without an error (lastRead); until
// then the transaction ends as any other, with a ROLLBACK of its own.
func (t *txn) queryLast(ctx context.Context, s *Stmt) (*sql.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.last = lastSent
	text := s.String()
	if t.begin == "" { // the read has begun: end it
		text += "; ROLLBACK"
	} // else nothing begins: begin stays unsent, and end sends nothing
	return t.conn.QueryContext(ctx, text, s.Args...)
}

// lastRead notes that the rows of a read's statement were all read
// without an error: when that statement was its last (see Last), the read
// has ended on the server.
func (t *txn) lastRead() {
	if t.last == lastSent {
		t.last = lastDone
	}
}
