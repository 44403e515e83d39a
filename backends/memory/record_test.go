package memory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
)

func TestStrictRecordShape(t *testing.T) {
	rl, team := kind(t, "rate_limit"), kind(t, "team")
	missing := record(t, rl, "rl", nil)
	delete(missing, "token_reset_duration")
	unknown := record(t, rl, "rl", nil)
	unknown["colour"] = "blue"
	for _, tc := range []struct {
		name  string
		kind  *configstore.Kind
		rec   configstore.Record
		field string
	}{
		{"Missing", rl, missing, "token_reset_duration"},
		{"Unknown", rl, unknown, "colour"},
		{"IntNotInt64", rl, record(t, rl, "rl", map[string]any{"token_max_limit": 5}), "token_max_limit"},
		{"StringForInt", rl, record(t, rl, "rl", map[string]any{"request_current_usage": "5"}), "request_current_usage"},
		{"NilNotNullable", rl, record(t, rl, "rl", map[string]any{"calendar_aligned": nil}), "calendar_aligned"},
		{"NilKey", rl, record(t, rl, "rl", map[string]any{"id": nil}), "id"},
		{"TimeAsString", rl, record(t, rl, "rl", map[string]any{"created_at": "2025-01-01T00:00:00Z"}), "created_at"},
		{"FloatAsInt", kind(t, "budget"), record(t, kind(t, "budget"), "b", map[string]any{"max_limit": int64(3)}), "max_limit"},
		{"JSONAsBytes", team, record(t, team, "t", map[string]any{"name": "x", "profile": []byte(`{}`)}), "profile"},
		{"JSONInvalid", team, record(t, team, "t", map[string]any{"name": "x", "profile": `{"secret-ish": `}), "profile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBackend()
			err := tryInsert(b, tc.kind, tc.rec)
			wantErr(t, err, configstore.ErrInvalid)
			if msg := err.Error(); !strings.Contains(msg, tc.kind.Name) || !strings.Contains(msg, tc.field) {
				t.Fatalf("error %q does not name kind %s and field %s", msg, tc.kind.Name, tc.field)
			}
			if strings.Contains(err.Error(), "secret-ish") || strings.Contains(err.Error(), "2025") {
				t.Fatalf("error %q contains the value", err)
			}
			if got := keys(t, b, tc.kind, configstore.Query{}); len(got) != 0 {
				t.Fatalf("an invalid record was stored: %v", got)
			}
			// Update validates the same way, and changes nothing.
			key, ok := tc.rec[tc.kind.Key].(string)
			if !ok {
				key = "rl"
			}
			insert(t, b, tc.kind, record(t, tc.kind, key, nil))
			wantErr(t, tryUpdate(b, tc.kind, tc.rec, 1), configstore.ErrInvalid)
			if rev := get(t, b, tc.kind, key)["revision"]; rev != int64(1) {
				t.Fatalf("an invalid update changed the row: revision %v", rev)
			}
		})
	}
}

func TestNilRecordAndUnknownKind(t *testing.T) {
	b := newBackend()
	wantErr(t, tryInsert(b, kind(t, "rate_limit"), nil), configstore.ErrInvalid)
	wantErr(t, tryInsert(b, &configstore.Kind{Name: "nope", Key: "id"}, configstore.Record{"id": "x"}), configstore.ErrInvalid)
	err := b.Read(context.Background(), func(r configstore.Reader) error {
		_, err := r.Get(context.Background(), nil, "x")
		return err
	})
	wantErr(t, err, configstore.ErrInvalid)
}

func TestRecordsAreCopied(t *testing.T) {
	b := newBackend()
	rl := kind(t, "rate_limit")
	rec := record(t, rl, "rl", map[string]any{"token_reset_duration": "1h"})
	insert(t, b, rl, rec)
	rec["token_reset_duration"] = "changed by the caller"
	got := get(t, b, rl, "rl")
	if got["token_reset_duration"] != "1h" {
		t.Fatal("the backend aliases a record it was given")
	}
	got["token_reset_duration"] = "changed by the reader"
	delete(got, "id")
	if again := get(t, b, rl, "rl"); again["token_reset_duration"] != "1h" || again["id"] != "rl" {
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

func TestTimesAreStoredInUTCMilliseconds(t *testing.T) {
	b := newBackend()
	rl := kind(t, "rate_limit")
	zone := time.FixedZone("X", 3600)
	in := time.Date(2025, 6, 7, 8, 9, 10, 123_456_789, zone)
	insert(t, b, rl, record(t, rl, "rl", map[string]any{"token_last_reset": in}))
	got, ok := get(t, b, rl, "rl")["token_last_reset"].(time.Time)
	want := time.Date(2025, 6, 7, 7, 9, 10, 123_000_000, time.UTC)
	if !ok || got != want {
		t.Fatalf("stored time %v, want %v (UTC, milliseconds)", got, want)
	}
}
