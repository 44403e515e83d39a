package memory_test

import (
	"context"
	"testing"

	"github.com/gatewaykit/configstore"
)

// TestReturnedRecordsAreCopied: records from Get and List do not alias the
// backend's state, not even through a deleted key field. (backendtest's
// RecordsAreCopied covers the caller's record and a changed Get field.)
func TestReturnedRecordsAreCopied(t *testing.T) {
	b := newBackend()
	rl := kind(t, "rate_limit")
	insert(t, b, rl, record(t, rl, "rl", map[string]any{"token_reset_duration": "1h"}))
	got := get(t, b, rl, "rl")
	delete(got, "id")
	if again := get(t, b, rl, "rl"); again["id"] != "rl" {
		t.Fatal("the backend returned a record aliasing its state")
	}
	var listed []configstore.Record
	_ = b.Read(context.Background(), func(r configstore.Reader) error {
		var err error
		listed, err = r.List(context.Background(), rl, configstore.Query{})
		return err
	})
	listed[0]["token_reset_duration"] = "changed through List"
	if again := get(t, b, rl, "rl"); again["token_reset_duration"] != "1h" {
		t.Fatal("List returned a record aliasing the backend's state")
	}
}
