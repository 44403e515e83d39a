package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestLastRead: the statement Last announces ends the read in its own
// round trip: a read's only statement runs without a transaction, a later
// one carries the ROLLBACK; a call after it is refused.
func TestLastRead(t *testing.T) {
	b, r := openRecorded(t)
	ctx := context.Background()
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "counter", nil))
	r.take()

	err := b.Read(ctx, func(rd configstore.Reader) error {
		rd.(configstore.LastReader).Last()
		return getCounter(t, rd, "the only get")
	})
	if err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read of one record, announced as last", r.take(), "SELECT ")

	var after error
	err = b.Read(ctx, func(rd configstore.Reader) error {
		if err := getCounter(t, rd, "the first get"); err != nil {
			return err
		}
		rd.(configstore.LastReader).Last()
		if err := getCounter(t, rd, "the last get"); err != nil {
			return err
		}
		_, after = rd.Get(ctx, rl, "counter")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after == nil || !strings.Contains(after.Error(), "after the call announced as its last") {
		t.Errorf("a get after the last: %v, want it refused", after)
	}
	queries := r.take()
	wantQueries(t, "a read of two records, the second announced as last", queries, beginRead+"SELECT ", "SELECT ")
	if !strings.HasSuffix(queries[1], "; ROLLBACK") {
		t.Errorf("the last get sent %q, want it to end with the ROLLBACK", queries[1])
	}
	if opened, closed := r.connections(); opened != 1 || closed != 0 {
		t.Fatalf("%d connections opened, %d closed; want the first one reused throughout", opened, closed)
	}
}

// TestFailedLastRead: when the statement announced as last fails on the
// server, the read ends as it would have without Last, and its connection
// goes back to the pool fit for the next read.
func TestFailedLastRead(t *testing.T) {
	b, r := openRecorded(t)
	ctx := context.Background()
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "counter", nil))
	r.take()
	missingTable := func(q string) string { return strings.Replace(q, ` FROM "`, ` FROM "missing_`, 1) }

	for _, first := range []bool{true, false} {
		what := "the only statement"
		want := []string{"SELECT "}
		if !first {
			what = "the second statement"
			want = []string{beginRead + "SELECT ", "SELECT ", "ROLLBACK"}
		}
		err := b.Read(ctx, func(rd configstore.Reader) error {
			if !first {
				if err := getCounter(t, rd, "the first get"); err != nil {
					return err
				}
			}
			rd.(configstore.LastReader).Last()
			r.setRewrite(missingTable)
			defer r.setRewrite(nil)
			return getCounter(t, rd, "the failing get")
		})
		if err == nil || !strings.Contains(err.Error(), "missing_") {
			t.Fatalf("%s failing: %v, want the error of the missing table", what, err)
		}
		wantQueries(t, what+" failing", r.take(), want...)
		err = b.Read(ctx, func(rd configstore.Reader) error {
			if err := getCounter(t, rd, "the get after"); err != nil {
				return err
			}
			return getCounter(t, rd, "the second get after")
		})
		if err != nil {
			t.Fatalf("a read after %s failed: %v", what, err)
		}
		wantQueries(t, "the read after", r.take(), beginRead+"SELECT ", "SELECT ", "ROLLBACK")
	}
	if opened, closed := r.connections(); opened != 1 || closed != 0 {
		t.Fatalf("%d connections opened, %d closed; want the first one reused throughout", opened, closed)
	}
}

// TestVirtualKeyReadRoundTrips: a virtual key with a provider config is
// read in one round trip, by id or by value: the key, its provider
// configs, their key ids, its MCP configs and their clients, as one
// statement (ListBatch), which needs no transaction, prepared on the
// connection by the first read of each (one round trip more); a record
// without parts in one too.
func TestVirtualKeyReadRoundTrips(t *testing.T) {
	ctx := context.Background()
	store, r, _ := recordedVirtualKey(t)
	for _, read := range []struct {
		what string
		get  func() (*configstore.VirtualKey, error)
	}{
		{"by id", func() (*configstore.VirtualKey, error) { return store.GetVirtualKey(ctx, "vk") }},
		{"by value", func() (*configstore.VirtualKey, error) { return store.GetVirtualKeyByValue(ctx, "sk-vk") }},
	} {
		for _, want := range [][]string{{"PREPARE configstore_", "EXECUTE configstore_"}, {"EXECUTE configstore_"}} {
			got, err := read.get()
			if err != nil {
				t.Fatalf("%s: %v", read.what, err)
			}
			if len(got.ProviderConfigs) != 1 || len(got.ProviderConfigs[0].KeyIDs) != 1 || got.ProviderConfigs[0].KeyIDs[0] != "k" {
				t.Fatalf("%s: read back provider configs %+v, want p with key k", read.what, got.ProviderConfigs)
			}
			wantQueries(t, "a read of a virtual key "+read.what, r.take(), want...)
		}
	}

	if _, err := store.GetKey(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read of a key", r.take(), "SELECT ")
}
