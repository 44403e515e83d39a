package memory_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
	"github.com/gatewaykit/configstore/backends/memory"
)

// teams returns n teams of one customer, each with a unique name.
func teams(t testing.TB, n int) []configstore.Record {
	team := backendtest.Kind(t, "team")
	recs := make([]configstore.Record, n)
	for i := range recs {
		recs[i] = backendtest.Record(t, team, fmt.Sprintf("team-%05d", i), map[string]any{"name": fmt.Sprintf("name-%05d", i), "customer_id": "c"})
	}
	return recs
}

// BenchmarkBulkInsert inserts 10,000 teams in one call; unique and
// reference checks are index lookups, so the cost grows linearly.
func BenchmarkBulkInsert(b *testing.B) {
	team, cust := backendtest.Kind(b, "team"), backendtest.Kind(b, "customer")
	recs := teams(b, 10_000)
	ctx := context.Background()
	for b.Loop() {
		be := memory.New(memory.Options{})
		backendtest.Insert(b, be, cust, backendtest.Record(b, cust, "c", nil))
		err := be.Write(ctx, func(tx configstore.Tx) error { return tx.Insert(ctx, team, recs...) })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSingleUpdate updates one row of a 10,000-row table: the cost is
// dominated by cloning the table on the transaction's first write.
func BenchmarkSingleUpdate(b *testing.B) {
	team, cust := backendtest.Kind(b, "team"), backendtest.Kind(b, "customer")
	be := memory.New(memory.Options{})
	backendtest.Insert(b, be, cust, backendtest.Record(b, cust, "c", nil))
	backendtest.Insert(b, be, team, teams(b, 10_000)...)
	ctx := context.Background()
	rev := int64(1)
	for b.Loop() {
		rec := backendtest.Record(b, team, "team-00042", map[string]any{"name": "name-00042", "customer_id": "c", "revision": rev + 1})
		if err := be.Write(ctx, func(tx configstore.Tx) error { return tx.Update(ctx, team, rec, rev) }); err != nil {
			b.Fatal(err)
		}
		rev++
	}
}

// BenchmarkGet reads one row by key.
func BenchmarkGet(b *testing.B) {
	team, cust := backendtest.Kind(b, "team"), backendtest.Kind(b, "customer")
	be := memory.New(memory.Options{})
	backendtest.Insert(b, be, cust, backendtest.Record(b, cust, "c", nil))
	backendtest.Insert(b, be, team, teams(b, 10_000)...)
	ctx := context.Background()
	for b.Loop() {
		err := be.Read(ctx, func(r configstore.Reader) error {
			_, err := r.Get(ctx, team, "team-00042")
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
