package backendtest

import (
	"context"
	"errors"
	"testing"

	"github.com/gatewaykit/configstore"
)

// Open returns a new, empty backend for one subtest; the test closes it.
type Open func(t *testing.T) configstore.Backend

// Run runs every check against backends from open, a fresh one per
// subtest.
func Run(t *testing.T, open Open) {
	groups := []struct {
		name  string
		tests map[string]func(t *testing.T, b configstore.Backend)
	}{
		{"Records", recordTests},
		{"List", listTests},
		{"Constraints", constraintTests},
		{"Delete", deleteTests},
		{"Transactions", transactionTests},
		{"Batch", batchTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, name := range sortedNames(g.tests) {
				t.Run(name, func(t *testing.T) {
					b := open(t)
					t.Cleanup(func() { _ = b.Close() })
					g.tests[name](t, b)
				})
			}
		})
	}
}

// Kind returns the declared kind with that name.
func Kind(t testing.TB, name string) *configstore.Kind {
	t.Helper()
	k, ok := configstore.KindByName(name)
	if !ok {
		t.Fatalf("no kind %q", name)
	}
	return k
}

// write runs fn in a transaction and fails the test on an error.
func write(t testing.TB, b configstore.Backend, fn func(tx configstore.Tx) error) {
	t.Helper()
	if err := b.Write(context.Background(), fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// Insert inserts records in their own transaction.
func Insert(t testing.TB, b configstore.Backend, k *configstore.Kind, recs ...configstore.Record) {
	t.Helper()
	write(t, b, func(tx configstore.Tx) error { return tx.Insert(context.Background(), k, recs...) })
}

// tryInsert inserts records in their own transaction and returns the error.
func tryInsert(b configstore.Backend, k *configstore.Kind, recs ...configstore.Record) error {
	return b.Write(context.Background(), func(tx configstore.Tx) error {
		return tx.Insert(context.Background(), k, recs...)
	})
}

// tryUpdate updates a record in its own transaction and returns the error.
func tryUpdate(b configstore.Backend, k *configstore.Kind, rec configstore.Record, expected int64) error {
	return b.Write(context.Background(), func(tx configstore.Tx) error {
		return tx.Update(context.Background(), k, rec, expected)
	})
}

// del deletes keys of k in its own transaction.
func del(b configstore.Backend, k *configstore.Kind, keys ...string) error {
	return b.Write(context.Background(), func(tx configstore.Tx) error {
		return tx.Delete(context.Background(), k, keys...)
	})
}

// Get reads one record in its own snapshot; a missing record is nil.
func Get(t testing.TB, b configstore.Backend, k *configstore.Kind, key string) configstore.Record {
	t.Helper()
	var rec configstore.Record
	err := b.Read(context.Background(), func(r configstore.Reader) error {
		var err error
		rec, err = r.Get(context.Background(), k, key)
		return err
	})
	if errors.Is(err, configstore.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatalf("Get %s %q: %v", k.Name, key, err)
	}
	return rec
}

// keys lists the keys of kind matching q, in q's order.
func keys(t testing.TB, b configstore.Backend, k *configstore.Kind, q configstore.Query) []string {
	t.Helper()
	var out []string
	err := b.Read(context.Background(), func(r configstore.Reader) error {
		recs, err := r.List(context.Background(), k, q)
		for _, rec := range recs {
			out = append(out, rec[k.Key].(string))
		}
		return err
	})
	if err != nil {
		t.Fatalf("List %s: %v", k.Name, err)
	}
	return out
}

// wantErr fails unless err wraps want.
func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want one wrapping %v", err, want)
	}
}
