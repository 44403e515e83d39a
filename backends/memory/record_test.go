package memory_test

import (
	"context"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestReturnedRecordsAreCopied: records from Get and List do not alias the
// backend's state, not even through a deleted key field. (backendtest's
// RecordsAreCopied covers the caller's record and a changed Get field.)
func TestReturnedRecordsAreCopied(t *testing.T) {
	b := newBackend()
	rl := backendtest.Kind(t, "rate_limit")
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "rl", map[string]any{"token_reset_duration": "1h"}))
	got := backendtest.Get(t, b, rl, "rl")
	delete(got, "id")
	if again := backendtest.Get(t, b, rl, "rl"); again["id"] != "rl" {
		t.Fatal("the backend returned a record aliasing its state")
	}
	var listed []configstore.Record
	_ = b.Read(context.Background(), func(r configstore.Reader) error {
		var err error
		listed, err = r.List(context.Background(), rl, configstore.Query{})
		return err
	})
	listed[0]["token_reset_duration"] = "changed through List"
	if again := backendtest.Get(t, b, rl, "rl"); again["token_reset_duration"] != "1h" {
		t.Fatal("List returned a record aliasing the backend's state")
	}
}
