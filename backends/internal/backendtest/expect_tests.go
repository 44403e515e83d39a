package backendtest

import (
	"context"
	"testing"

	"github.com/gatewaykit/configstore"
)

// testExpect checks a Tx that is a configstore.Expecter, pipelined where
// it is a configstore.Pipeliner: updates of expected records at their
// revision, as the first statement or after a read, all reach the commit,
// every field written (an expectation vouches for the revision only); a
// wrong expectation (a stale revision, a missing key) leaves the
// transaction as if it had not been made: an update at the stored revision
// goes, one at the expected revision is ErrConflict and changes nothing;
// and a second expectation does not stand in for the first.
func testExpect(t *testing.T, b configstore.Backend) {
	ctx := context.Background()
	rl := Kind(t, "rate_limit")
	at := func(key string, rev int64) configstore.Record {
		return Record(t, rl, key, map[string]any{"revision": rev, "token_max_limit": rev * 10})
	}
	Insert(t, b, rl, at("a", 1), at("b", 1), at("c", 1))
	pipelined := func(tx configstore.Tx, expected ...configstore.Record) {
		e := optional[configstore.Expecter](t, tx, "Expecter")
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
				t.Fatalf("%s: %s is %v, want revision %d and token_max_limit %d", what, key, rec, rev, rev*10)
			}
		}
	}
	readC := func(tx configstore.Tx) error {
		_, err := tx.Get(ctx, rl, "c")
		return err
	}

	write(t, b, func(tx configstore.Tx) error {
		pipelined(tx, Get(t, b, rl, "a"))
		if err := tx.Update(ctx, rl, at("a", 2), 1); err != nil {
			return err
		}
		if err := readC(tx); err != nil {
			return err
		}
		return tx.Update(ctx, rl, at("b", 2), 1)
	})
	want("after updates of an expected record and a read one", map[string]int64{"a": 2, "b": 2, "c": 1})

	// A at revision 2 expected with the token_max_limit its update sets:
	// the update must still write it.
	wrong := at("a", 2)
	wrong["token_max_limit"] = int64(30)
	write(t, b, func(tx configstore.Tx) error {
		pipelined(tx, wrong)
		if err := readC(tx); err != nil {
			return err
		}
		return tx.Update(ctx, rl, at("a", 3), 2)
	})
	want("after an update of a record expected with other fields", map[string]int64{"a": 3})

	for _, first := range []bool{true, false} {
		err := b.Write(ctx, func(tx configstore.Tx) error {
			pipelined(tx, at("a", 1), at("c", 1))
			if !first {
				if err := readC(tx); err != nil {
					return err
				}
			}
			return tx.Update(ctx, rl, at("a", 4), 1)
		})
		wantErr(t, err, configstore.ErrConflict)
		want("after an update at a stale expected revision", map[string]int64{"a": 3})
	}

	write(t, b, func(tx configstore.Tx) error {
		pipelined(tx, at("b", 1), at("missing", 1))
		if err := readC(tx); err != nil {
			return err
		}
		if err := tx.Update(ctx, rl, at("b", 3), 2); err != nil {
			return err
		}
		return tx.Insert(ctx, rl, at("missing", 1))
	})
	want("after wrong expectations", map[string]int64{"b": 3, "missing": 1})
}
