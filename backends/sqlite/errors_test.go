package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore/backends/internal/sqlstore"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// TestClassifyDriverErrors provokes each constraint violation on a real
// database through the driver sqliteshim selected (modernc.org/sqlite by
// default, github.com/mattn/go-sqlite3 with cgo and -tags cgosqlite) and
// checks how Classify maps it.
func TestClassifyDriverErrors(t *testing.T) {
	t.Logf("SQLite driver: %s", sqliteshim.DriverName())
	ctx := context.Background()
	db, err := openDB(ctx, filepath.Join(t.TempDir(), "x.db"), writerRole)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`CREATE TABLE p (id TEXT NOT NULL PRIMARY KEY) STRICT`,
		`CREATE TABLE c (id TEXT NOT NULL PRIMARY KEY, a TEXT NOT NULL, b TEXT, p TEXT REFERENCES p (id),
			UNIQUE (a, b), CHECK (a <> 'bad')) STRICT`,
		`INSERT INTO p VALUES ('p1')`,
		`INSERT INTO c VALUES ('c1', 'x', 'y', 'p1')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	for _, tc := range []struct {
		name    string
		stmt    string
		class   sqlstore.ViolationClass
		columns []string
	}{
		{"PrimaryKey", `INSERT INTO c VALUES ('c1', 'other', 'y', NULL)`, sqlstore.UniqueViolation, []string{"id"}},
		{"Unique", `INSERT INTO c VALUES ('c2', 'x', 'y', NULL)`, sqlstore.UniqueViolation, []string{"a", "b"}},
		{"ForeignKeyInsert", `INSERT INTO c VALUES ('c3', 'z', 'y', 'gone')`, sqlstore.ForeignKeyViolation, nil},
		{"ForeignKeyDelete", `DELETE FROM p WHERE id = 'p1'`, sqlstore.ForeignKeyViolation, nil},
		{"NotNull", `INSERT INTO c VALUES ('c4', NULL, 'y', NULL)`, sqlstore.NotNullViolation, []string{"a"}},
		{"Check", `INSERT INTO c VALUES ('c5', 'bad', 'y', NULL)`, sqlstore.CheckViolation, nil},
		{"StrictType", `INSERT INTO p VALUES (x'00')`, sqlstore.CheckViolation, nil},
		{"NotAViolation", `SELECT * FROM missing_table`, sqlstore.NoViolation, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.ExecContext(ctx, tc.stmt)
			if err == nil {
				t.Fatal("no error")
			}
			got := dialect{}.Classify(err)
			if got.Class != tc.class || !slices.Equal(got.Columns, tc.columns) {
				t.Fatalf("Classify(%q) = %+v, want class %d, columns %v", err, got, tc.class, tc.columns)
			}
			if _, ok := resultCode(err); !ok {
				t.Fatalf("no result code in %T %q", err, err)
			}
		})
	}
	if _, ok := resultCode(errors.New("UNIQUE constraint failed: t.x")); ok {
		t.Fatal("a plain error has a result code")
	}
}
