package sqlstore

import (
	"strconv"

	"github.com/gatewaykit/configstore"
)

// Expecting is implemented by a Dialect whose write transactions on a
// connection can check an expectation (see txn.Expect) with the commands
// that begin them.
type Expecting interface {
	// BeginExpecting returns the commands that begin a write transaction
	// (Begun.Begin) that also check, once the write lock is taken, that
	// the query exists, whose values are written in it as literals,
	// returns a row; when it returns none, they fail as Begun.Relock
	// recovers from (nothing after them ran). ok is false when the dialect
	// cannot carry exists.
	BeginExpecting(exists string) (begin string, ok bool)
}

var _ configstore.Expecter = (*txn)(nil)

// Expect implements configstore.Expecter. On a write transaction run as
// text on its connection, before its first statement, whose dialect is
// Expecting: the commands that begin it also check that the row with
// rec's key is stored at rec's revision, and rec counts as the row the
// transaction read last (recentRows), so that an Update of it at that
// revision is held back in a pipelined transaction. When the check fails,
// the transaction begins again, as after a wait for the write lock, and
// forgets rec (see sendText). Otherwise Expect does nothing.
func (t *txn) Expect(kind *configstore.Kind, rec configstore.Record) {
	d, ok := t.dialect.(Expecting)
	if !ok || t.conn == nil || !t.writable || t.begin == "" || t.relock == nil || checkKind(kind) != nil {
		return
	}
	key, keyOK := rec[kind.Key].(string)
	rev, revOK := rec[revisionField].(int64)
	if _, versioned := kind.Field(revisionField); !keyOK || !revOK || !versioned {
		return
	}
	kt := t.texts(kind)
	// The commands that begin a transaction take no bind parameters: the
	// values are literals, quoted by the bun dialect.
	exists := "SELECT 1" + kt.from + kt.whereKey + string(t.gen.AppendString(nil, key)) + kt.andRevision + strconv.FormatInt(rev, 10)
	begin, ok := d.BeginExpecting(exists)
	if !ok {
		return
	}
	t.begin = begin
	t.recent.remember(kind, key, rec)
}
