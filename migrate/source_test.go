package migrate

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadOrdersAndSplits(t *testing.T) {
	fsys := migrations(
		m2File, "SELECT 2;\n\n--bun:split\n\nSELECT 3;\n",
		m1File, "SELECT 1;\n",
		m1ID+"_create_widgets.tx.down.sql", "DROP TABLE widgets;\n",
		"README.md", "not a migration",
	)
	scripts, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range scripts {
		names = append(names, s.name())
	}
	if want := []string{m1ID + "_create_widgets", m2ID + "_seed_widgets"}; !slices.Equal(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}
	if got, want := scripts[1].statements, []string{"SELECT 2;\n", "SELECT 3;\n"}; !slices.Equal(got, want) {
		t.Fatalf("statements = %q, want %q", got, want)
	}
}

func TestLoadRejects(t *testing.T) {
	cases := map[string]struct {
		fsys fstest.MapFS
		want string
	}{
		"non-transactional": {migrations(m1ID+"_x.up.sql", "SELECT 1;"), "only transactional"},
		"short ID":          {migrations("1_x.tx.up.sql", "SELECT 1;"), "14-digit"},
		"down only":         {migrations(m1ID+"_x.tx.down.sql", "SELECT 1;"), "no up file"},
		"two up files":      {migrations(m1ID+"_x.tx.up.sql", "SELECT 1;", m1ID+"_x.up.sql", "SELECT 1;"), "two up files"},
		"unknown directive": {migrations(m1File, "--bun:nosplit\nSELECT 1;"), "unknown directive"},
		"empty file":        {migrations(m1File, "\n\n"), "no statements"},
		"bad name":          {migrations("2024_Bad Name.tx.up.sql", "SELECT 1;"), "unsupported migration name"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := load(c.fsys)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("load = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestLoadEmpty(t *testing.T) {
	if _, err := load(fstest.MapFS{}); !errors.Is(err, ErrNoMigrations) {
		t.Fatalf("load(empty) = %v, want ErrNoMigrations", err)
	}
}
