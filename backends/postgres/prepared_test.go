package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
	"github.com/gatewaykit/configstore/backends/internal/pgtest"
	"github.com/uptrace/bun/driver/pgdriver"
)

// TestFailedPrepare: a batch whose PREPARE fails fails with the server's
// error and leaves nothing noted as prepared: the next read prepares it
// again, on the same connection, and succeeds.
func TestFailedPrepare(t *testing.T) {
	ctx := context.Background()
	store, r, _ := recordedVirtualKey(t)
	r.setRewrite(func(q string) string {
		if strings.HasPrefix(q, "PREPARE ") {
			return strings.Replace(q, ` FROM "`, ` FROM "missing_`, 1)
		}
		return q
	})
	_, err := store.GetVirtualKey(ctx, "vk")
	r.setRewrite(nil)
	if err == nil || !strings.Contains(err.Error(), "missing_") {
		t.Fatalf("a read whose PREPARE failed: %v, want the error of the missing table", err)
	}
	wantQueries(t, "the failed read", r.take(), "PREPARE configstore_")
	if _, err := store.GetVirtualKey(ctx, "vk"); err != nil {
		t.Fatalf("the read after: %v", err)
	}
	wantQueries(t, "the read after", r.take(), "PREPARE configstore_", "EXECUTE configstore_")
	if opened, closed := r.connections(); opened != 1 || closed != 0 {
		t.Fatalf("%d connections opened, %d closed; want the first one reused throughout", opened, closed)
	}
}

// TestFailedExecute: when the EXECUTE of a prepared batch fails (here it
// names a statement the server lacks, as it would behind a pooler that
// moved the session), the connection's statement is forgotten: the next
// read sends PREPARE again, which finds it there ("already exists"), and
// succeeds.
func TestFailedExecute(t *testing.T) {
	ctx := context.Background()
	store, r, _ := recordedVirtualKey(t)
	if _, err := store.GetVirtualKey(ctx, "vk"); err != nil {
		t.Fatal(err)
	}
	r.take()
	r.setRewrite(func(q string) string {
		return strings.Replace(q, "EXECUTE configstore_", "EXECUTE configstore_missing_", 1)
	})
	_, err := store.GetVirtualKey(ctx, "vk")
	r.setRewrite(nil)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("a read whose EXECUTE failed: %v, want the server's error", err)
	}
	wantQueries(t, "the failed read", r.take(), "EXECUTE configstore_")
	for _, want := range [][]string{{"PREPARE configstore_", "EXECUTE configstore_"}, {"EXECUTE configstore_"}} {
		if _, err := store.GetVirtualKey(ctx, "vk"); err != nil {
			t.Fatalf("a read after: %v", err)
		}
		wantQueries(t, "a read after", r.take(), want...)
	}
}

// TestBatchTimesInAnyTimeZone: with a time zone in the DSN, times read
// back as they were stored, by a List and by a batch: whatever the DSN
// says, sessions run in UTC (in Amsterdam, 9999-12-31 23:59 UTC is year
// 10000, and before 1892 the offset, +00:19:32, had seconds, which RFC
// 3339 cannot write).
func TestBatchTimesInAnyTimeZone(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewSchema(t) + "&TimeZone=Europe/Amsterdam"
	b, err := Open(ctx, Config{DSN: dsn}, configstore.OpenOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	budget := backendtest.Kind(t, "budget")
	var recs []configstore.Record
	for i, at := range []time.Time{time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 12, 30, 15, 123_000_000, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC)} {
		recs = append(recs, backendtest.Record(t, budget, fmt.Sprintf("b%d", i), map[string]any{"last_reset": at, "created_at": at}))
	}
	backendtest.Insert(t, b, budget, recs...)
	lists := []configstore.KindQuery{{Kind: budget}, {Kind: budget, Query: configstore.Query{Where: []configstore.Condition{configstore.Eq("id", "b0")}}}}
	err = b.Read(ctx, func(r configstore.Reader) error {
		res, err := r.(configstore.BatchLister).ListBatch(ctx, lists)
		if err != nil {
			return err
		}
		want, err := r.List(ctx, budget, configstore.Query{})
		if err != nil {
			return err
		}
		for i, rec := range want {
			if rec["last_reset"] != recs[i]["last_reset"] || rec["created_at"] != recs[i]["created_at"] {
				return fmt.Errorf("List read %v, %v; want %v", rec["last_reset"], rec["created_at"], recs[i]["last_reset"])
			}
		}
		if !reflect.DeepEqual(res[0], want) || !reflect.DeepEqual(res[1], want[:1]) {
			return fmt.Errorf("the batch read %v, want %v", res, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestValuesWithoutStandardConformingStrings: with the setting off in the
// DSN, the store opens (pgdriver refuses such a session), and text with
// backslashes and quotes is stored and read back as it is, by a List and
// by a batch: sessions run with standard_conforming_strings on whatever the
// DSN says.
func TestValuesWithoutStandardConformingStrings(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewSchema(t) + "&standard_conforming_strings=off"
	b, err := Open(ctx, Config{DSN: dsn}, configstore.OpenOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	budget := backendtest.Kind(t, "budget")
	odd := []string{`\'`, `back\slash \N`, `\x41\`, `'); DROP TABLE config_budgets; --`}
	var recs []configstore.Record
	for i, text := range odd {
		recs = append(recs, backendtest.Record(t, budget, fmt.Sprintf("b%d", i), map[string]any{"reset_duration": text}))
	}
	backendtest.Insert(t, b, budget, recs...)
	err = b.Read(ctx, func(r configstore.Reader) error {
		byText := configstore.Query{Where: []configstore.Condition{configstore.Eq("reset_duration", odd[0])}}
		res, err := r.(configstore.BatchLister).ListBatch(ctx, []configstore.KindQuery{{Kind: budget}, {Kind: budget, Query: byText}})
		if err != nil {
			return err
		}
		if len(res[0]) != len(odd) || len(res[1]) != 1 || res[1][0]["id"] != "b0" {
			return fmt.Errorf("the batch read %d records and %v by the first text; want %d and b0", len(res[0]), res[1], len(odd))
		}
		for i, rec := range res[0] {
			if rec["reset_duration"] != odd[i] {
				return fmt.Errorf("%s read back as %q, want %q", rec["id"], rec["reset_duration"], odd[i])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCopiedTablesAreAnalyzed: a transaction that loaded a table with
// COPY analyzes it before its commit, so the planner knows its rows
// (pg_class.reltuples, -1 for a table never analyzed, is their number);
// one that inserted a few rows leaves that to autovacuum.
func TestCopiedTablesAreAnalyzed(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewSchema(t)
	b, err := Open(ctx, Config{DSN: dsn}, configstore.OpenOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	t.Cleanup(func() { _ = db.Close() })
	reltuples := func(table string) float64 {
		t.Helper()
		var n float64
		if err := db.QueryRowContext(ctx, "SELECT reltuples FROM pg_class WHERE oid = $1::regclass", table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	mp, budget := backendtest.Kind(t, "model_pricing"), backendtest.Kind(t, "budget")
	many := make([]configstore.Record, 100) // at least copyMinRows
	for i := range many {
		id := fmt.Sprintf("mp-%03d", i)
		many[i] = backendtest.Record(t, mp, id, map[string]any{"model": id})
	}
	write := func(fn func(tx configstore.Tx) error) {
		t.Helper()
		if err := b.Write(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	write(func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, mp, many...); err != nil {
			return err
		}
		return tx.Insert(ctx, budget, backendtest.Record(t, budget, "b1", nil), backendtest.Record(t, budget, "b2", nil))
	})
	if n := reltuples("config_model_pricing"); n != float64(len(many)) {
		t.Fatalf("after a COPY of %d rows the table's reltuples is %v, want %d", len(many), n, len(many))
	}
	if n := reltuples("config_budgets"); n != -1 {
		t.Fatalf("after an INSERT of 2 rows the table's reltuples is %v, want -1 (never analyzed)", n)
	}
}

// TestWithoutPreparedStatements: a store that prepares nothing (see
// Config.PreparedStatements) sends a batch as its SELECT.
func TestWithoutPreparedStatements(t *testing.T) {
	b, r := openRecordedPreparing(t, nil)
	store, _ := storedVirtualKey(t, b)
	r.take()
	if _, err := store.GetVirtualKey(context.Background(), "vk"); err != nil {
		t.Fatal(err)
	}
	wantQueries(t, "a read of a virtual key", r.take(), "SELECT (SELECT json_agg(")
}

// validator is a connection whose validity a test sets.
type validator struct{ valid bool }

func (v *validator) IsValid() bool { return v.valid }

// TestPreparedStatementsBookkeeping: statements are noted per connection;
// a connection that closed is forgotten when another is added; a
// connection holds at most maxPreparedPerConn; a name another query holds
// is refused.
func TestPreparedStatementsBookkeeping(t *testing.T) {
	p := newPreparedStatements()
	c1, c2 := &validator{valid: true}, &validator{valid: true}
	if prepared, ok := p.lookup(c1, "a", "SELECT 1"); prepared || !ok {
		t.Fatalf("a new statement: prepared %v ok %v, want false true", prepared, ok)
	}
	p.add(c1, "a", "SELECT 1")
	if prepared, ok := p.lookup(c1, "a", "SELECT 1"); !prepared || !ok {
		t.Fatalf("a statement added: prepared %v ok %v, want true true", prepared, ok)
	}
	if prepared, ok := p.lookup(c2, "a", "SELECT 1"); prepared || !ok {
		t.Fatalf("on another connection: prepared %v ok %v, want false true", prepared, ok)
	}
	if _, ok := p.lookup(c1, "a", "SELECT 2"); ok {
		t.Fatal("a name another query holds was not refused")
	}
	c1.valid = false
	p.add(c2, "a", "SELECT 1")
	if _, held := p.conns[c1]; held {
		t.Fatal("a closed connection was not forgotten")
	}
	for i := 1; i < maxPreparedPerConn; i++ {
		p.add(c2, fmt.Sprint(i), "SELECT 1")
	}
	if _, ok := p.lookup(c2, "one more", "SELECT 1"); ok {
		t.Fatalf("a connection holding %d statements took one more", maxPreparedPerConn)
	}
}
