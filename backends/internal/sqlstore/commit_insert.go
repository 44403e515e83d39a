package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

var _ configstore.CommitInserter = (*txn)(nil)

// InsertAtCommit implements configstore.CommitInserter. A transaction run
// as text on its connection (PostgreSQL) holds the INSERT back and sends it
// with its COMMIT, in the same round trip, once the transaction has begun
// (its first statement went) and while the held statements stay under the
// dialect's parameter limit and below copyMinRows records; otherwise the
// records are inserted at once, as Insert does.
func (t *txn) InsertAtCommit(ctx context.Context, kind *configstore.Kind, records ...configstore.Record) error {
	if err := t.check("insert", kind, true); err != nil {
		return err
	}
	held := 0
	if t.atCommit != nil {
		held = len(t.atCommit.Args)
	}
	if t.tx != nil || t.begin != "" || len(records) == 0 || len(records) >= copyMinRows ||
		held+len(records)*len(kind.Fields) > t.dialect.MaxParams() {
		return t.Insert(ctx, kind, records...)
	}
	rows, err := recordRows(kind, records)
	if err != nil {
		return err
	}
	if t.atCommit == nil {
		t.atCommit = t.stmt()
	} else {
		t.atCommit.SQL("; ")
	}
	appendInsert(t.atCommit, kind, rows)
	t.atCommitWhat = append(t.atCommitWhat, atCommitWrite{"insert " + kind.Name + " " + recordsKey(kind, records), kind.Table})
	return nil
}

// commitText returns the command that commits the transaction on its
// connection, after the held writes (see Pipeline), the inserts held for
// the commit and an ANALYZE of the tables a COPY loaded, and their
// parameters.
func (t *txn) commitText() (string, []any) {
	s := t.stmt()
	if t.atCommit != nil {
		s = t.atCommit.SQL("; ")
	}
	if len(t.copied) > 0 {
		// A table that a COPY loaded has no statistics for the rows it
		// holds until autovacuum comes by, maybe a minute later: until
		// then the planner guesses, and a lookup by the rows' parent
		// (an InSelect) scanned all 40,000 rows of a table (5.8 ms
		// where 0.1 ms will do). ANALYZE reads a sample of each table,
		// here a tenth of its default one (the tables of a size-L apply:
		// 34 ms instead of 168), enough for the planner to find the
		// indexes; autovacuum comes by later with the full sample.
		s.SQL("SET LOCAL default_statistics_target = 10; ANALYZE ")
		for i, kind := range t.copied {
			if i > 0 {
				s.SQL(", ")
			}
			s.Name(kind.Table)
		}
		s.SQL("; ")
	}
	s.SQL(commitCommand)
	hs := t.held
	if len(hs) == 0 {
		return s.String(), s.Args
	}
	t.held = nil
	what := make([]atCommitWrite, 0, len(hs)+len(t.atCommitWhat))
	for _, h := range hs {
		what = append(what, atCommitWrite{"update " + h.kind.Name + " " + describeKey(h.kind, h.rec), h.kind.Table})
	}
	t.atCommitWhat = append(what, t.atCommitWhat...)
	return t.after(hs, s)
}

// atCommitWrite is a write the COMMIT carries: what it is, for an error,
// and its table.
type atCommitWrite struct{ what, table string }

// atCommitError is the error of a commit that failed: when the writes it
// carried broke a constraint, it says so with the root sentinel and names
// them, or only those on the constraint's table when the database says
// which. The failed commit ended the transaction, so the record is not
// looked for, as an Insert's error does.
func (t *txn) atCommitError(err error) error {
	v := t.dialect.Classify(err)
	broke, sentinel := v.Class.describe()
	if sentinel == nil || len(t.atCommitWhat) == 0 {
		return err
	}
	what := t.atCommitNames(v.Table)
	if len(what) == 0 { // the constraint is on a table none is written to: name them all
		what = t.atCommitNames("")
	}
	return fmt.Errorf("%s with the commit: %s: %w", strings.Join(what, ", "), describeFields(broke, v.Columns), sentinel)
}

// atCommitNames names the writes the COMMIT carries on table, or all of
// them when table is "".
func (t *txn) atCommitNames(table string) []string {
	var what []string
	for _, w := range t.atCommitWhat {
		if table == "" || w.table == table {
			what = append(what, w.what)
		}
	}
	return what
}
