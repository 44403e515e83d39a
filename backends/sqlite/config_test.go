package sqlite_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/sqlite"
)

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want string
	}{
		{`{"path": "config.db"}`, "config.db"},
		{`{"path": "/var/lib/gw/config.db"}`, "/var/lib/gw/config.db"},
		{`{}`, ""},
		{``, ""},
		{`null`, ""},
	} {
		c, err := sqlite.ParseConfig(json.RawMessage(tc.raw))
		if err != nil || c.Path != tc.want {
			t.Errorf("ParseConfig(%s) = %+v, %v; want path %q", tc.raw, c, err, tc.want)
		}
	}
	for _, raw := range []string{`{"path": "a", "journal": "wal"}`, `{"path": 5}`, `[]`, `{"path": "a"} {}`} {
		if _, err := sqlite.ParseConfig(json.RawMessage(raw)); !errors.Is(err, configstore.ErrInvalid) {
			t.Errorf("ParseConfig(%s): %v, want ErrInvalid", raw, err)
		}
	}
}

func TestConfigFile(t *testing.T) {
	base := t.TempDir()
	for _, tc := range []struct {
		path, base, want string
	}{
		{"config.db", base, filepath.Join(base, "config.db")},
		{"data/../store/config.db", base, filepath.Join(base, "store", "config.db")},
		{"", base, filepath.Join(base, sqlite.DefaultPath)},
		{"/abs/config.db", base, "/abs/config.db"},
	} {
		got, err := sqlite.Config{Path: tc.path}.File(tc.base)
		if err != nil || got != tc.want {
			t.Errorf("Config{Path: %q}.File(%q) = %q, %v; want %q", tc.path, tc.base, got, err, tc.want)
		}
	}
	wd, _ := os.Getwd()
	if got, _ := (sqlite.Config{Path: "x.db"}).File(""); got != filepath.Join(wd, "x.db") {
		t.Errorf("without a base directory: %q, want it in the working directory %q", got, wd)
	}
}

// TestOpenThroughRegistry opens the store as a gateway does: by type, with
// config.json's driver config and the app dir as base directory. The
// relative path and its missing directories are created there.
func TestOpenThroughRegistry(t *testing.T) {
	base := t.TempDir()
	ctx := context.Background()
	store, err := configstore.Open(ctx, configstore.Config{Enabled: true, Type: "sqlite",
		Config: json.RawMessage(`{"path": "state/db/config.db"}`)}, configstore.WithBaseDir(base), configstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateProvider(ctx, &configstore.Provider{Name: "openai"}); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(base, "state", "db", "config.db")
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("the database file is not at the path resolved against the base directory: %v", err)
	}
	b := openFile(t, file)
	defer b.Close()
	p, err := configstore.New(b).GetProvider(ctx, "openai")
	if err != nil || p.Name != "openai" {
		t.Fatalf("reopened store: provider %v, %v", p, err)
	}
	_, err = configstore.Open(ctx, configstore.Config{Enabled: true, Type: "sqlite", Config: json.RawMessage(`{"file": "x"}`)})
	if !errors.Is(err, configstore.ErrInvalid) {
		t.Fatalf("an unknown config field: %v, want ErrInvalid", err)
	}
}
