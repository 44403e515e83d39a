package backendtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

// optional returns tx as the optional interface C, which what names, and
// skips t when tx is not one.
func optional[C any](t *testing.T, tx configstore.Tx, what string) C {
	c, ok := tx.(C)
	if !ok {
		t.Skipf("the backend's transactions are not %ss", what)
	}
	return c
}

// testInsertAtCommit checks a Tx that is a configstore.CommitInserter: the
// records it holds for the commit are stored with it; a bad record is an
// error at the call that changes nothing; a taken key fails the commit and
// rolls back the whole transaction.
func testInsertAtCommit(t *testing.T, b configstore.Backend) {
	ctx := context.Background()
	rl := Kind(t, "rate_limit")
	atCommit := func(tx configstore.Tx, recs ...configstore.Record) error {
		return optional[configstore.CommitInserter](t, tx, "CommitInserter").InsertAtCommit(ctx, rl, recs...)
	}
	write(t, b, func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, rl, Record(t, rl, "a", nil)); err != nil {
			return err
		}
		return atCommit(tx, Record(t, rl, "b", nil), Record(t, rl, "c", nil))
	})
	if got := keys(t, b, rl, configstore.Query{}); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("stored %v, want [a b c]", got)
	}

	bad := Record(t, rl, "d", nil)
	delete(bad, "revision")
	write(t, b, func(tx configstore.Tx) error {
		wantErr(t, atCommit(tx, Record(t, rl, "e", nil), bad), configstore.ErrInvalid)
		return tx.Insert(ctx, rl, Record(t, rl, "f", nil))
	})
	if got := keys(t, b, rl, configstore.Query{}); !slices.Equal(got, []string{"a", "b", "c", "f"}) {
		t.Fatalf("after a refused record: stored %v, want [a b c f]", got)
	}

	err := b.Write(ctx, func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, rl, Record(t, rl, "g", nil)); err != nil {
			return err
		}
		if err := tx.Update(ctx, rl, Record(t, rl, "a", map[string]any{"revision": int64(2)}), 1); err != nil {
			return err
		}
		return atCommit(tx, Record(t, rl, "h", nil), Record(t, rl, "b", nil))
	})
	wantErr(t, err, configstore.ErrAlreadyExists)
	if got := keys(t, b, rl, configstore.Query{}); !slices.Equal(got, []string{"a", "b", "c", "f"}) {
		t.Fatalf("after a commit that failed: stored %v, want [a b c f]", got)
	}
	if rev := Get(t, b, rl, "a")["revision"]; rev != int64(1) {
		t.Fatalf("after a commit that failed: revision of a %v, want 1", rev)
	}
}

// testInsertBulk checks a Tx that is a configstore.BulkInserter: its
// records are stored, in bulk as one by one; a taken key, in the store or
// earlier in the same call, is ErrAlreadyExists naming the record, and the
// transaction, given up, stores nothing.
func testInsertBulk(t *testing.T, b configstore.Backend) {
	ctx := context.Background()
	rl := Kind(t, "rate_limit")
	bulk := func(tx configstore.Tx, recs ...configstore.Record) error {
		return optional[configstore.BulkInserter](t, tx, "BulkInserter").InsertBulk(ctx, rl, recs...)
	}
	var recs []configstore.Record
	for i := range 70 { // above copyMinRows, where COPY is used
		recs = append(recs, Record(t, rl, fmt.Sprintf("r%02d", i), nil))
	}
	write(t, b, func(tx configstore.Tx) error { return bulk(tx, recs...) })
	if got := keys(t, b, rl, configstore.Query{}); len(got) != len(recs) || got[0] != "r00" || got[69] != "r69" {
		t.Fatalf("stored %v, want r00..r69", got)
	}
	for _, dup := range [][]configstore.Record{
		{Record(t, rl, "new", nil), Record(t, rl, "r05", nil)},
		{Record(t, rl, "once", nil), Record(t, rl, "twice", nil), Record(t, rl, "twice", nil)},
	} {
		err := b.Write(ctx, func(tx configstore.Tx) error { return bulk(tx, dup...) })
		wantErr(t, err, configstore.ErrAlreadyExists)
		if want := dup[len(dup)-1]["id"].(string); !strings.Contains(err.Error(), fmt.Sprintf("%q", want)) {
			t.Errorf("a taken key: %v, want it named (%q)", err, want)
		}
		if got := keys(t, b, rl, configstore.Query{}); len(got) != len(recs) {
			t.Fatalf("after a failed bulk insert: %d records stored, want %d", len(got), len(recs))
		}
	}
}
