package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/gatewaykit/configstore"
)

// revisionField is the field holding a record's revision.
const revisionField = "revision"

// Update replaces the record with rec's key, provided its stored revision
// is expectedRevision (a kind without a revision field counts as revision
// 0): UPDATE ... WHERE key = ? AND revision = ?. When the transaction
// read the row last (see recentRows), only the columns rec changes are
// set; when it read the row or expected it at that revision (see Expect),
// a pipelined transaction that has begun holds the statement back (see
// Pipeline). When no row matched, a second look tells ErrNotFound from
// ErrConflict.
func (t *txn) Update(ctx context.Context, kind *configstore.Kind, rec configstore.Record, expectedRevision int64) error {
	if err := t.check("update", kind, true); err != nil {
		return err
	}
	params, err := recordParams(kind, rec)
	if err != nil {
		return fmt.Errorf("update %s %s: %w", kind.Name, describeKey(kind, rec), err)
	}
	key, _ := rec[kind.Key].(string) // recordParams checked that it is a string
	_, versioned := kind.Field(revisionField)
	last, revisionOnly := t.recent.find(kind.Table, key)
	if last != nil && versioned && last[revisionField] != expectedRevision {
		last = nil // the update will not match: nothing to save
	}
	kt := t.texts(kind)
	s := t.stmt().SQL(kt.update)
	n := 0
	for i, f := range kind.Fields {
		if f.Name == kind.Key || last != nil && !revisionOnly && sameValue(rec[f.Name], last[f.Name]) {
			continue
		}
		if n > 0 {
			s.SQL(", ")
		}
		s.SQL(kt.columns[i]).SQL(" = ").Arg(params[i])
		n++
	}
	if n == 0 { // nothing changes: the statement still needs a column
		i := slices.IndexFunc(kind.Fields, func(f configstore.Field) bool { return f.Name != kind.Key })
		s.SQL(kt.columns[i]).SQL(" = ").Arg(params[i])
	}
	s.SQL(kt.whereKey).Arg(key)
	if versioned {
		s.SQL(kt.andRevision).Arg(expectedRevision)
	}
	if t.pipelined && last != nil && versioned && t.begin == "" { // held only once begun: nothing else would send it
		t.held = append(t.held, &heldWrite{stmt: s, kind: kind, rec: rec})
		t.recent.remember(kind, key, rec)
		return nil
	}
	var changed int64
	if versioned || expectedRevision == 0 {
		err = t.atomic(ctx, 1, func() error {
			var err error
			changed, err = t.exec(ctx, s)
			return err
		})
		if err != nil {
			return t.writeError(ctx, "update", kind, []configstore.Record{rec}, err)
		}
	}
	if changed > 0 {
		t.recent.remember(kind, key, rec)
		return nil
	}
	cur, err := t.Get(ctx, kind, key)
	if err != nil {
		return err // ErrNotFound names kind and key
	}
	stored := cur[revisionField]
	if !versioned {
		stored = int64(0)
	}
	return fmt.Errorf("%s %q: expected revision %d, stored revision is %v: %w",
		kind.Name, key, expectedRevision, stored, configstore.ErrConflict)
}
