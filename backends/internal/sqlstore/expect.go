package sqlstore

import (
	"strconv"
	"strings"

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
// rec's key is stored at rec's revision, and the row counts as read at
// that revision (recentRows), so that an Update of it at that revision is
// held back in a pipelined transaction; the Update sets every column, the
// check having seen only the revision. When the check fails, the
// transaction begins again, as after a wait for the write lock, and
// forgets the row (see sendText). A transaction checks one row: a later
// Expect does nothing, as does one whose key is not plain (see plainKey).
func (t *txn) Expect(kind *configstore.Kind, rec configstore.Record) {
	d, ok := t.dialect.(Expecting)
	if !ok || t.expecting || t.conn == nil || !t.writable || t.begin == "" || t.relock == nil || checkKind(kind) != nil {
		return
	}
	key, keyOK := rec[kind.Key].(string)
	rev, revOK := rec[revisionField].(int64)
	if _, versioned := kind.Field(revisionField); !keyOK || !plainKey(key) || !revOK || !versioned {
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
	t.begin, t.expecting = begin, true
	t.recent.rememberRevision(kind, key, rec)
}

// plainKey reports whether key is made of ASCII letters, digits and
// "-_.:" only: a key whose literal in the commands that begin a
// transaction (they take no bind parameters) cannot depend on how the
// server reads backslashes or quotes.
func plainKey(key string) bool {
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("-_.:", r):
		default:
			return false
		}
	}
	return key != ""
}
