package backendtest

import (
	"context"
	"testing"

	"github.com/gatewaykit/configstore"
)

// testExpect checks a Tx that is a configstore.Expecter, pipelined where
// it is a configstore.Pipeliner: updates of expected records at their
// revision, as the first statement or after a read, all reach the commit;
// a wrong expectation (a stale revision, a missing key) leaves the
// transaction as if it had not been made: an update at the stored revision
// goes, one at the expected revision is ErrConflict and changes nothing.
func testExpect(t *testing.T, b configstore.Backend) {
	ctx := context.Background()
	rl := Kind(t, "rate_limit")
	at := func(key string, rev int64) configstore.Record {
		return Record(t, rl, key, map[string]any{"revision": rev, "token_max_limit": rev * 10})
	}
	Insert(t, b, rl, at("a", 1), at("b", 1), at("c", 1))
	pipelined := func(tx configstore.Tx, expected ...configstore.Record) {
		e, ok := tx.(configstore.Expecter)
		if !ok {
			t.Skip("the backend's transactions are not Expecters")
		}
		if p, ok := tx.(configstore.Pipeliner); ok {
			p.Pipeline()
		}
		for _, rec := range expected {
			e.Expect(rl, rec)
		}
	}
	want := func(what string, revs map[string]int64) {
		t.Helper()
		for key, rev := range revs {
			rec := Get(t, b, rl, key)
			if rec["revision"] != rev || rec["token_max_limit"] != rev*10 {
				t.Fatalf("%s: %s is %v, want revision %d", what, key, rec, rev)
			}
		}
	}

	write(t, b, func(tx configstore.Tx) error {
		pipelined(tx, Get(t, b, rl, "a"), Get(t, b, rl, "b"))
		if err := tx.Update(ctx, rl, at("a", 2), 1); err != nil {
			return err
		}
		if _, err := tx.Get(ctx, rl, "c"); err != nil {
			return err
		}
		return tx.Update(ctx, rl, at("b", 2), 1)
	})
	want("after updates of expected records", map[string]int64{"a": 2, "b": 2, "c": 1})

	err := b.Write(ctx, func(tx configstore.Tx) error {
		pipelined(tx, at("a", 1))
		return tx.Update(ctx, rl, at("a", 3), 1)
	})
	wantErr(t, err, configstore.ErrConflict)
	want("after an update at a stale expected revision", map[string]int64{"a": 2})

	write(t, b, func(tx configstore.Tx) error {
		pipelined(tx, at("b", 1), at("missing", 1))
		if _, err := tx.Get(ctx, rl, "c"); err != nil {
			return err
		}
		if err := tx.Update(ctx, rl, at("b", 3), 2); err != nil {
			return err
		}
		return tx.Insert(ctx, rl, at("missing", 1))
	})
	want("after wrong expectations", map[string]int64{"b": 3, "missing": 1})
}
