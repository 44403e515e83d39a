package memory_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
)

// File-only mode: load records into a memory backend, then seal it. Reads
// keep working; writes are refused with configstore.ErrReadOnly.
func Example() {
	ctx := context.Background()
	plugin, _ := configstore.KindByName("plugin")
	rec := configstore.Record{}
	for _, f := range plugin.Fields {
		rec[f.Name] = nil
	}
	rec["name"], rec["enabled"], rec["version"], rec["placement"], rec["sort_order"] =
		"telemetry", true, int64(1), "pre", int64(0)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	rec["revision"], rec["created_at"], rec["updated_at"] = int64(1), now, now

	b := memory.New(memory.Options{})
	err := b.Write(ctx, func(tx configstore.Tx) error { return tx.Insert(ctx, plugin, rec) })
	if err != nil {
		panic(err)
	}
	b.Seal()

	_ = b.Read(ctx, func(r configstore.Reader) error {
		got, err := r.Get(ctx, plugin, "telemetry")
		fmt.Println(got["name"], got["enabled"], err)
		return nil
	})
	err = b.Write(ctx, func(tx configstore.Tx) error { return tx.Delete(ctx, plugin, "telemetry") })
	fmt.Println(errors.Is(err, configstore.ErrReadOnly))
	// Output:
	// telemetry true <nil>
	// true
}
