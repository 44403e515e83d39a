package configstore

import (
	"context"
	"fmt"
	"slices"
)

// countingTx is the portable layer's side of a backend write transaction.
// It counts the writes that succeeded through it (a failed backend write
// changes nothing, by the Tx contract), remembers the rows the transaction
// is known to hold for reference checks (see lookupRow), and, in a
// transaction begun with WithBatchedInserts, holds back inserts to send
// them in bulk (see deferInsert).
type countingTx struct {
	Tx
	writes int
	// known holds, for rows the transaction inserted, updated or looked up,
	// their lookupFields (see remember); nil until the first. A delete
	// clears it: a cascade may remove rows of any kind.
	known map[rowRef]Record
	// batched says inserts wait in pending (pendingRows records) until the
	// next read, update, delete or the commit, which flush them first, or
	// until there are maxPendingRows.
	batched     bool
	pending     []insertBatch
	pendingRows int
	// flushErr is set when a flush failed: inserts that their callers
	// were told had succeeded are lost, so the transaction can only roll
	// back.
	flushErr error
}

// insertBatch is records of one kind waiting to be inserted together.
type insertBatch struct {
	kind *Kind
	recs []Record
}

type batchedInsertsKey struct{}

// WithBatchedInserts returns a context that makes ExecuteTransaction
// batch the inserts of its transaction: instead of one or more statements
// per entity created, the records of a kind are held back and inserted
// together, in multi-row statements, before the next read, update or
// delete of the transaction, before its commit, and whenever a few
// thousand are waiting. It is for bulk loads
// (a config.json apply creating thousands of entities), which it turns
// from a few round trips per entity into a few per kind.
//
// The price is where a failure shows: an insert that breaks a constraint
// only the database checks (a unique name taken by a stored entity) fails
// at the call that flushes it, not at the create that made it, with an
// error that names the record, and the transaction can then only roll
// back. Validation and reference checks still run at each call.
func WithBatchedInserts(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchedInsertsKey{}, true)
}

func batchedInserts(ctx context.Context) bool {
	b, _ := ctx.Value(batchedInsertsKey{}).(bool)
	return b
}

func (c *countingTx) count(err error) error {
	if err == nil {
		c.writes++
	}
	return err
}

func (c *countingTx) Get(ctx context.Context, kind *Kind, key string) (Record, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	return c.Tx.Get(ctx, kind, key)
}

func (c *countingTx) List(ctx context.Context, kind *Kind, q Query) ([]Record, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	return c.Tx.List(ctx, kind, q)
}

// ListBatch implements BatchLister: the backend's batch where it has one.
func (c *countingTx) ListBatch(ctx context.Context, lists []KindQuery) ([][]Record, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	if b, ok := c.Tx.(BatchLister); ok {
		return b.ListBatch(ctx, lists)
	}
	return ListEach(ctx, c.Tx, lists)
}

func (c *countingTx) Insert(ctx context.Context, kind *Kind, records ...Record) error {
	if c.batched {
		c.deferInsert(kind, records)
		if c.pendingRows >= maxPendingRows {
			if err := c.flush(ctx); err != nil {
				return err
			}
		}
	} else if err := c.count(c.Tx.Insert(ctx, kind, records...)); err != nil {
		return err
	}
	for _, rec := range records {
		c.remember(kind, rec)
	}
	return nil
}

func (c *countingTx) Update(ctx context.Context, kind *Kind, record Record, expectedRevision int64) error {
	if err := c.flush(ctx); err != nil {
		return err
	}
	if err := c.count(c.Tx.Update(ctx, kind, record, expectedRevision)); err != nil {
		return err
	}
	c.remember(kind, record)
	return nil
}

func (c *countingTx) Delete(ctx context.Context, kind *Kind, keys ...string) error {
	if err := c.flush(ctx); err != nil {
		return err
	}
	err := c.count(c.Tx.Delete(ctx, kind, keys...))
	c.known = nil
	return err
}

// insertAtCommit inserts records of kind with the commit where the
// backend's transaction can (CommitInserter), else as Insert does. Only
// the commit's own writes use it: nothing reads the records before.
func (c *countingTx) insertAtCommit(ctx context.Context, kind *Kind, records []Record) error {
	ci, ok := c.Tx.(CommitInserter)
	if !ok {
		return c.Insert(ctx, kind, records...)
	}
	return c.count(ci.InsertAtCommit(ctx, kind, records...))
}

// maxPendingRows bounds the records a batched transaction holds back: past
// it they are sent at once. Large enough that a statement carries as many
// rows as the backend takes in one (SQLite's 999 parameters are some 80
// rows), small enough that a bulk load does not hold a second copy of
// itself in memory.
const maxPendingRows = 4096

// deferInsert adds records to the pending batches. They join the last
// batch of their kind unless a later batch holds a kind theirs refers to
// (their rows may need those rows inserted first); else they start a new
// batch at the end. So the batches keep every row after the rows it may
// refer to, as the inserts came, while records of a kind created one
// entity at a time, between the rows of its parts, still travel together.
func (c *countingTx) deferInsert(kind *Kind, records []Record) {
	c.writes++
	c.pendingRows += len(records)
	for i := len(c.pending) - 1; i >= 0; i-- {
		b := &c.pending[i]
		if b.kind == kind {
			b.recs = append(b.recs, records...)
			return
		}
		if refersTo(kind, b.kind) {
			break
		}
	}
	c.pending = append(c.pending, insertBatch{kind: kind, recs: slices.Clone(records)})
}

// refersTo reports whether kind has a reference to target.
func refersTo(kind, target *Kind) bool {
	return slices.ContainsFunc(kind.References, func(r Reference) bool { return r.Target == target.Name })
}

// flush inserts the pending batches, in order: in bulk where the backend
// can (BulkInserter), since a failed flush breaks the transaction (see
// writer.usable).
func (c *countingTx) flush(ctx context.Context) error {
	insert := c.Tx.Insert
	if b, ok := c.Tx.(BulkInserter); ok {
		insert = b.InsertBulk
	}
	for len(c.pending) > 0 {
		b := c.pending[0]
		if err := insert(ctx, b.kind, b.recs...); err != nil {
			c.pending, c.pendingRows = nil, 0
			c.flushErr = fmt.Errorf("write the batched inserts: %w", err)
			return c.flushErr
		}
		c.pending = c.pending[1:]
	}
	c.pending, c.pendingRows = nil, 0
	return nil
}

// remember notes that the transaction holds rec, a row of kind, and
// returns its lookupFields. Rows of part kinds (a virtual key's provider
// configs, the change log) are not noted: no reference check looks one up,
// since no entity kind refers to a part kind and a parts codec writes its
// rows without checking their references row by row.
func (c *countingTx) remember(kind *Kind, rec Record) Record {
	var fields Record
	if names := lookupFields[kind]; len(names) > 0 {
		fields = make(Record, len(names))
		for _, name := range names {
			fields[name] = rec[name]
		}
	}
	key, ok := rec[kind.Key].(string)
	if !ok || kind.Part {
		return fields
	}
	if c.known == nil {
		c.known = map[rowRef]Record{}
	}
	c.known[rowRef{kind, key}] = fields
	return fields
}

// prefetch reads the rows of keys of kind that the transaction does not
// know, in one query, and remembers them; keys of no row stay unknown, for
// lookup to report.
func (c *countingTx) prefetch(ctx context.Context, kind *Kind, keys []string) error {
	var missing []string
	for _, key := range keys {
		if _, ok := c.known[rowRef{kind, key}]; !ok && !slices.Contains(missing, key) {
			missing = append(missing, key)
		}
	}
	if len(missing) < 2 {
		return nil // lookup reads one row as cheaply
	}
	recs, err := c.List(ctx, kind, Query{Where: []Condition{In(kind.Key, missing)}})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		c.remember(kind, rec)
	}
	return nil
}

// lookup returns the lookupFields of the row of kind with key, from what
// the transaction remembers or else read, or an error wrapping
// ErrNotFound.
func (c *countingTx) lookup(ctx context.Context, kind *Kind, key string) (Record, error) {
	if fields, ok := c.known[rowRef{kind, key}]; ok {
		return fields, nil
	}
	rec, err := c.Get(ctx, kind, key)
	if err != nil {
		return nil, err
	}
	return c.remember(kind, rec), nil
}
