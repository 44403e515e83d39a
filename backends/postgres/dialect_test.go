package postgres

import "testing"

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
