package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
)

// kind returns the declared kind with that name.
func kind(t testing.TB, name string) *configstore.Kind {
	t.Helper()
	k, ok := configstore.KindByName(name)
	if !ok {
		t.Fatalf("no kind %q", name)
	}
	return k
}

// record returns a valid record of kind with key: every field at its zero
// value (NULL where nullable, revision 1), then the given fields.
func record(t testing.TB, k *configstore.Kind, key string, fields map[string]any) configstore.Record {
	t.Helper()
	rec := configstore.Record{}
	for _, f := range k.Fields {
		if f.Nullable {
			rec[f.Name] = nil
			continue
		}
		switch f.Type {
		case configstore.TypeText:
			rec[f.Name] = ""
		case configstore.TypeInt:
			rec[f.Name] = int64(0)
		case configstore.TypeFloat:
			rec[f.Name] = float64(0)
		case configstore.TypeBool:
			rec[f.Name] = false
		case configstore.TypeTime:
			rec[f.Name] = time.Date(2025, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
		case configstore.TypeJSON:
			rec[f.Name] = "{}"
		}
	}
	if _, ok := k.Field("revision"); ok {
		rec["revision"] = int64(1)
	}
	rec[k.Key] = key
	for name, v := range fields {
		if _, ok := k.Field(name); !ok {
			t.Fatalf("kind %s has no field %q", k.Name, name)
		}
		rec[name] = v
	}
	return rec
}

// write runs fn in a transaction and fails the test on an error.
func write(t testing.TB, b configstore.Backend, fn func(tx configstore.Tx) error) {
	t.Helper()
	if err := b.Write(context.Background(), fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// insert inserts records in their own transaction.
func insert(t testing.TB, b configstore.Backend, k *configstore.Kind, recs ...configstore.Record) {
	t.Helper()
	write(t, b, func(tx configstore.Tx) error { return tx.Insert(context.Background(), k, recs...) })
}

// get reads one record in its own snapshot; a missing record is nil.
func get(t testing.TB, b configstore.Backend, k *configstore.Kind, key string) configstore.Record {
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

// newBackend returns a fresh writable backend.
func newBackend() *memory.Backend { return memory.New(memory.Options{}) }

// wantErr fails unless err wraps want.
func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want one wrapping %v", err, want)
	}
}
