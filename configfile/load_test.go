package configfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
)

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	f, err := configfile.Load(path)
	if f != nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a missing file: %v, %v; want an error wrapping fs.ErrNotExist naming %s", f, err, path)
	}
}

func TestLoadInvalidFileNamesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(`{"plugins": 1, "providers": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := configfile.Load(path)
	var e *configfile.Error
	if !errors.As(err, &e) || e.File != path || !errors.Is(err, configstore.ErrInvalid) {
		t.Fatalf("Load: %v; want a *configfile.Error for %s", err, path)
	}
	want := path + ": plugins: expected an array, got a number\n" + path + ": providers: expected an object, got an array"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}
