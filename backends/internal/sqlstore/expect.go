package sqlstore

import "github.com/gatewaykit/configstore"

// Expecting is implemented by a Dialect whose write transactions on a
// connection can check an expectation (see txn.Expect) with the commands
// that begin them.
type Expecting interface {
	// BeginExpecting returns the commands that begin a write transaction
	// (Begun.Begin) that also check, once the write lock is taken, that
	// the row of table with key is stored at revision; when it is not,
	// they fail as Begun.Relock recovers from (nothing after them ran).
	// ok is false when the dialect cannot check that row.
	BeginExpecting(table, key string, revision int64) (begin string, ok bool)
}

var _ configstore.Expecter = (*txn)(nil)

// Expect implements configstore.Expecter. On a write transaction run as
// text on its connection, before its first statement, whose dialect is
// Expecting and checks rec's row: the commands that begin it also check
// that the row with rec's key is stored at rec's revision, and the row
// counts as read at that revision (recentRows), so that an Update of it
// at that revision is held back in a pipelined transaction; the Update
// sets every column, the check having seen only the revision. When the
// check fails, the transaction begins again, as after a wait for the write
// lock, and forgets the row (see sendText). A transaction checks one row:
// a later Expect does nothing.
func (t *txn) Expect(kind *configstore.Kind, rec configstore.Record) {
	d, ok := t.dialect.(Expecting)
	if !ok || t.expecting || t.conn == nil || !t.writable || t.begin == "" || t.relock == nil || checkKind(kind) != nil {
		return
	}
	key, keyOK := rec[kind.Key].(string)
	rev, revOK := rec[revisionField].(int64)
	if _, versioned := kind.Field(revisionField); !keyOK || !revOK || !versioned {
		return
	}
	begin, ok := d.BeginExpecting(kind.Table, key, rev)
	if !ok {
		return
	}
	t.begin, t.expecting = begin, true
	t.recent.rememberRevision(kind, key, rec)
}
