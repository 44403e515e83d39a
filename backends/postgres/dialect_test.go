package postgres

import (
	"fmt"
	"strings"
	"testing"
)

// TestRenumber: every placeholder moves by the offset, multi-digit ones
// too; the rest of the text is left alone.
func TestRenumber(t *testing.T) {
	for _, c := range []struct {
		query  string
		offset int
		want   string
	}{
		{`UPDATE "t" SET "a" = $1, "b" = $2 WHERE "id" = $3`, 4, `UPDATE "t" SET "a" = $5, "b" = $6 WHERE "id" = $7`},
		{`SELECT 1 FROM "t" WHERE "x" IN ($9, $10, $11)`, 95, `SELECT 1 FROM "t" WHERE "x" IN ($104, $105, $106)`},
		{`SELECT 1; COMMIT`, 7, `SELECT 1; COMMIT`},
		{"", 3, ""},
	} {
		if got := (dialect{}).Renumber(c.query, c.offset); got != c.want {
			t.Errorf("Renumber(%q, %d) = %q, want %q", c.query, c.offset, got, c.want)
		}
	}
}

// TestBeginExpectingChecksTheStoreRevisionOnly: the commands that begin a
// write check the expected store revision, with the write lock's key; of
// any other row they check nothing (ok is false, and Expect does nothing).
func TestBeginExpectingChecksTheStoreRevisionOnly(t *testing.T) {
	begin, ok := dialect{}.BeginExpecting("configstore_state", "store", 42)
	want := fmt.Sprintf("CALL configstore_begin_write(%d, 42); ", writeLockClass)
	if !ok || !strings.HasSuffix(begin, want) {
		t.Errorf("BeginExpecting(the store revision) = %q, %v; want it to end with %q", begin, ok, want)
	}
	for _, row := range [][2]string{{"configstore_state", "reconcile"}, {"config_virtual_keys", "store"}} {
		if begin, ok := (dialect{}).BeginExpecting(row[0], row[1], 42); ok {
			t.Errorf("BeginExpecting(%s %s) = %q, true; want it refused", row[0], row[1], begin)
		}
	}
}
