package backendtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
)

var recordTests = map[string]func(t *testing.T, b configstore.Backend){
	"EveryKindRoundTrips":             testEveryKindRoundTrips,
	"ExtremeValuesRoundTrip":          testExtremeValuesRoundTrip,
	"StrictRecordShape":               testStrictRecordShape,
	"TimesAreStoredInUTCMilliseconds": testTimesInUTCMilliseconds,
	"RecordsAreCopied":                testRecordsAreCopied,
	"UnknownKind":                     testUnknownKind,
}

// fullRecord returns a record of k with every field set to a non-zero
// value of its type, distinct per variant; references point at the
// variant's record of the target kind ("<variant>-<kind>") when required
// and are NULL when nullable.
func fullRecord(t testing.TB, k *configstore.Kind, variant string) configstore.Record {
	rec := Record(t, k, variant+"-"+k.Name, nil)
	refs := map[string]string{}
	for _, r := range k.References {
		refs[r.Field] = r.Target
	}
	for i, f := range k.Fields {
		if f.Name == k.Key {
			continue
		}
		if target, ok := refs[f.Name]; ok {
			if f.Nullable {
				rec[f.Name] = nil
			} else {
				rec[f.Name] = variant + "-" + target
			}
			continue
		}
		switch f.Type {
		case configstore.TypeText:
			rec[f.Name] = fmt.Sprintf("%s %s: é ✓ 'quoted' \"double\" \\ %%", variant, f.Name)
		case configstore.TypeInt:
			rec[f.Name] = int64(1)<<40 + int64(i)
		case configstore.TypeFloat:
			rec[f.Name] = 0.1 + float64(i)/3
		case configstore.TypeBool:
			rec[f.Name] = true
		case configstore.TypeTime:
			rec[f.Name] = time.Date(2026, 11, 22, 3, 4, 5, 678_000_000, time.UTC).Add(time.Duration(i) * time.Hour)
		case configstore.TypeJSON:
			rec[f.Name] = fmt.Sprintf(`{ "z": [1, 2.50, "%s"],  "a" : {"nested": null, "t": true} }`, variant)
		}
	}
	return rec
}

// InsertOrder returns the kinds ordered so that every kind comes after the
// targets of its required (NOT NULL) references: an order to insert rows
// in, and reversed, to delete them in once nullable references are NULL.
func InsertOrder() []*configstore.Kind {
	var out []*configstore.Kind
	done := map[string]bool{}
	for len(out) < len(configstore.Kinds()) {
		for _, k := range configstore.Kinds() {
			if done[k.Name] {
				continue
			}
			ready := true
			for _, r := range k.References {
				if f, _ := k.Field(r.Field); !f.Nullable && !done[r.Target] {
					ready = false
				}
			}
			if ready {
				done[k.Name] = true
				out = append(out, k)
			}
		}
	}
	return out
}

func testEveryKindRoundTrips(t *testing.T, b configstore.Backend) {
	ctx := context.Background()
	want := map[string][]configstore.Record{}
	write(t, b, func(tx configstore.Tx) error {
		for _, k := range InsertOrder() {
			if k.Name == "state" {
				// The migration may have created the one state row.
				if err := tx.Delete(ctx, k, "store"); err != nil && !errors.Is(err, configstore.ErrNotFound) {
					return err
				}
			}
			recs := []configstore.Record{fullRecord(t, k, "full"), fullRecord(t, k, "zero")}
			// The zero variant: nullable fields NULL, others zero.
			zero := Record(t, k, "zero-"+k.Name, nil)
			for _, r := range k.References {
				if f, _ := k.Field(r.Field); !f.Nullable {
					zero[r.Field] = "zero-" + r.Target
				}
			}
			recs[1] = zero
			if err := tx.Insert(ctx, k, recs...); err != nil {
				return err
			}
			want[k.Name] = recs
		}
		return nil
	})
	for _, k := range configstore.Kinds() {
		for _, w := range want[k.Name] {
			got := Get(t, b, k, w[k.Key].(string))
			for _, f := range k.Fields {
				if g, e := got[f.Name], w[f.Name]; !reflect.DeepEqual(g, e) {
					t.Errorf("%s %s.%s: got %#v (%T), want %#v (%T)", k.Name, w[k.Key], f.Name, g, g, e, e)
				}
			}
			if len(got) != len(k.Fields) {
				t.Errorf("%s: got %d fields, want %d", k.Name, len(got), len(k.Fields))
			}
		}
	}
}

func testExtremeValuesRoundTrip(t *testing.T, b configstore.Backend) {
	budget, rl, team := Kind(t, "budget"), Kind(t, "rate_limit"), Kind(t, "team")
	floats := []float64{0, -0.5, 0.1, 1.0 / 3, 2.5e-6, 1e-300, 3.686771886206774e-212, 9.001463756792143e+204,
		math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), 123456789.123456789}
	for i, x := range floats {
		Insert(t, b, budget, Record(t, budget, fmt.Sprintf("b%02d", i), map[string]any{"max_limit": x}))
	}
	for i, x := range floats {
		if got := Get(t, b, budget, fmt.Sprintf("b%02d", i))["max_limit"]; got != x {
			t.Errorf("float %v came back as %v", x, got)
		}
	}
	ints := []int64{math.MinInt64, -1, math.MaxInt64}
	for i, n := range ints {
		Insert(t, b, rl, Record(t, rl, fmt.Sprintf("r%d", i), map[string]any{"token_max_limit": n}))
		if got := Get(t, b, rl, fmt.Sprintf("r%d", i))["token_max_limit"]; got != n {
			t.Errorf("int %v came back as %v", n, got)
		}
	}
	texts := []string{"", " ", "line\nbreak\ttab", "emoji 🙂 and 日本語", strings.Repeat("long ", 20000),
		"'; DROP TABLE config_teams; --", "?", "$1"}
	for i, s := range texts {
		Insert(t, b, team, Record(t, team, fmt.Sprintf("t%d", i), map[string]any{"name": s}))
	}
	for i, s := range texts {
		if got := Get(t, b, team, fmt.Sprintf("t%d", i))["name"]; got != s {
			t.Errorf("text %.40q came back as %.40q", s, got)
		}
	}
}

func testStrictRecordShape(t *testing.T, b configstore.Backend) {
	rl, team, budget := Kind(t, "rate_limit"), Kind(t, "team"), Kind(t, "budget")
	missing := Record(t, rl, "rl", nil)
	delete(missing, "token_reset_duration")
	unknown := Record(t, rl, "rl", nil)
	unknown["colour"] = "blue"
	for _, tc := range []struct {
		name  string
		kind  *configstore.Kind
		rec   configstore.Record
		field string
	}{
		{"Missing", rl, missing, "token_reset_duration"},
		{"Unknown", rl, unknown, "colour"},
		{"IntNotInt64", rl, Record(t, rl, "rl", map[string]any{"token_max_limit": 5}), "token_max_limit"},
		{"StringForInt", rl, Record(t, rl, "rl", map[string]any{"request_current_usage": "5"}), "request_current_usage"},
		{"NilNotNullable", rl, Record(t, rl, "rl", map[string]any{"calendar_aligned": nil}), "calendar_aligned"},
		{"NilKey", rl, Record(t, rl, "rl", map[string]any{"id": nil}), "id"},
		{"TimeAsString", rl, Record(t, rl, "rl", map[string]any{"created_at": "2025-01-01T00:00:00Z"}), "created_at"},
		{"FloatAsInt", budget, Record(t, budget, "b", map[string]any{"max_limit": int64(3)}), "max_limit"},
		{"JSONAsBytes", team, Record(t, team, "t", map[string]any{"name": "x", "profile": []byte(`{}`)}), "profile"},
		{"JSONInvalid", team, Record(t, team, "t", map[string]any{"name": "x", "profile": `{"secret-ish": `}), "profile"},
		{"InvalidUTF8", team, Record(t, team, "t", map[string]any{"name": "secret-ish\xff"}), "name"},
		{"NULByte", team, Record(t, team, "t", map[string]any{"name": "secret-ish\x00"}), "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tryInsert(b, tc.kind, tc.rec)
			wantErr(t, err, configstore.ErrInvalid)
			if msg := err.Error(); !strings.Contains(msg, tc.kind.Name) || !strings.Contains(msg, tc.field) {
				t.Fatalf("error %q does not name kind %s and field %s", msg, tc.kind.Name, tc.field)
			}
			if strings.Contains(err.Error(), "secret-ish") || strings.Contains(err.Error(), "2025") {
				t.Fatalf("error %q contains the value", err)
			}
			key, ok := tc.rec[tc.kind.Key].(string)
			if !ok {
				key = "rl"
			}
			if Get(t, b, tc.kind, key) != nil {
				t.Fatal("an invalid record was stored")
			}
			Insert(t, b, tc.kind, Record(t, tc.kind, key, nil))
			wantErr(t, tryUpdate(b, tc.kind, tc.rec, 1), configstore.ErrInvalid)
			if rev := Get(t, b, tc.kind, key)["revision"]; rev != int64(1) {
				t.Fatalf("an invalid update changed the row: revision %v", rev)
			}
			if err := del(b, tc.kind, key); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func testTimesInUTCMilliseconds(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	zone := time.FixedZone("X", 3600)
	in := time.Date(2025, 6, 7, 8, 9, 10, 123_456_789, zone)
	Insert(t, b, rl, Record(t, rl, "rl", map[string]any{"token_last_reset": in}))
	got, ok := Get(t, b, rl, "rl")["token_last_reset"].(time.Time)
	want := time.Date(2025, 6, 7, 7, 9, 10, 123_000_000, time.UTC)
	if !ok || got != want {
		t.Fatalf("stored time %v, want %v (UTC, milliseconds)", got, want)
	}
	// Times compare in time order, whatever zone they were given in.
	q := configstore.Query{Where: []configstore.Condition{configstore.Greater("token_last_reset", want.Add(-time.Millisecond).In(zone))}}
	if got := keys(t, b, rl, q); len(got) != 1 {
		t.Fatalf("Greater on a time: %v, want [rl]", got)
	}
}

func testRecordsAreCopied(t *testing.T, b configstore.Backend) {
	rl := Kind(t, "rate_limit")
	rec := Record(t, rl, "rl", map[string]any{"token_reset_duration": "1h"})
	Insert(t, b, rl, rec)
	rec["token_reset_duration"] = "changed by the caller"
	got := Get(t, b, rl, "rl")
	if got["token_reset_duration"] != "1h" {
		t.Fatal("the backend kept the caller's record")
	}
	got["token_reset_duration"] = "changed by the reader"
	if again := Get(t, b, rl, "rl"); again["token_reset_duration"] != "1h" {
		t.Fatal("Get returned a record aliasing the backend's state")
	}
}

func testUnknownKind(t *testing.T, b configstore.Backend) {
	wantErr(t, tryInsert(b, Kind(t, "rate_limit"), nil), configstore.ErrInvalid)
	wantErr(t, tryInsert(b, &configstore.Kind{Name: "nope", Key: "id"}, configstore.Record{"id": "x"}), configstore.ErrInvalid)
	err := b.Read(context.Background(), func(r configstore.Reader) error {
		_, err := r.Get(context.Background(), nil, "x")
		return err
	})
	wantErr(t, err, configstore.ErrInvalid)
}
