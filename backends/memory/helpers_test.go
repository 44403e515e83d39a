package memory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
)

// write runs fn in a transaction and fails the test on an error.
func write(t testing.TB, b configstore.Backend, fn func(tx configstore.Tx) error) {
	t.Helper()
	if err := b.Write(context.Background(), fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
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
