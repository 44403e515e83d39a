package memory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
)

// widget is a synthetic kind with a unique constraint over a nullable field,
// which no declared kind has.
var widget = &configstore.Kind{
	Name: "widget", Table: "widgets", Key: "id",
	Fields: []configstore.Field{
		{Name: "id", Type: configstore.TypeText},
		{Name: "a", Type: configstore.TypeText},
		{Name: "b", Type: configstore.TypeInt, Nullable: true},
	},
	Unique: [][]string{{"a", "b"}},
}

func widgetRecord(id, a string, b any) configstore.Record {
	return configstore.Record{"id": id, "a": a, "b": b}
}

func TestUniqueWithNullNeverConflicts(t *testing.T) {
	be := newBackend([]*configstore.Kind{widget}, Options{})
	ctx := context.Background()
	insert := func(recs ...configstore.Record) error {
		return be.Write(ctx, func(tx configstore.Tx) error { return tx.Insert(ctx, widget, recs...) })
	}
	if err := insert(widgetRecord("1", "x", nil), widgetRecord("2", "x", nil)); err != nil {
		t.Fatalf("two rows with a NULL component conflict: %v", err)
	}
	if err := insert(widgetRecord("3", "x", int64(1))); err != nil {
		t.Fatal(err)
	}
	if err := insert(widgetRecord("4", "x", int64(1))); !errors.Is(err, configstore.ErrAlreadyExists) {
		t.Fatalf("a duplicate non-NULL tuple: %v, want ErrAlreadyExists", err)
	}
	// Moving row 3 to NULL frees its tuple.
	err := be.Write(ctx, func(tx configstore.Tx) error { return tx.Update(ctx, widget, widgetRecord("3", "x", nil), 0) })
	if err != nil {
		t.Fatal(err)
	}
	if err := insert(widgetRecord("4", "x", int64(1))); err != nil {
		t.Fatalf("the tuple of a row updated to NULL is still taken: %v", err)
	}
}

// TestCopyOnWriteClonesOnlyWrittenKinds checks the copy-on-write structure:
// a commit shares the tables of kinds it did not write with the previous
// snapshot, and never modifies the previous snapshot's tables.
func TestCopyOnWriteClonesOnlyWrittenKinds(t *testing.T) {
	be := New(Options{})
	ctx := context.Background()
	rl, _ := configstore.KindByName("rate_limit")
	before := be.state.Load()
	beforeRates := before.tables["rate_limit"]
	err := be.Write(ctx, func(tx configstore.Tx) error {
		rec := configstore.Record{}
		for _, f := range rl.Fields {
			rec[f.Name] = zeroValue(f)
		}
		rec["id"] = "rl"
		return tx.Insert(ctx, rl, rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	after := be.state.Load()
	if after == before {
		t.Fatal("a commit with changes did not install a new snapshot")
	}
	for name, tb := range after.tables {
		if shared := tb == before.tables[name]; shared != (name != "rate_limit") {
			t.Errorf("table %s: shared with the previous snapshot = %v", name, shared)
		}
	}
	if beforeRates.rows.len() != 0 {
		t.Fatal("the commit modified the previous snapshot's table")
	}
	// A transaction that writes nothing installs no new snapshot.
	if err := be.Write(ctx, func(tx configstore.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if be.state.Load() != after {
		t.Fatal("an empty transaction replaced the snapshot")
	}
}

func zeroValue(f configstore.Field) any {
	if f.Nullable {
		return nil
	}
	switch f.Type {
	case configstore.TypeText:
		return ""
	case configstore.TypeInt:
		return int64(0)
	case configstore.TypeFloat:
		return float64(0)
	case configstore.TypeBool:
		return false
	case configstore.TypeJSON:
		return "{}"
	case configstore.TypeTime:
		return time.Time{}
	}
	return nil
}
