package sqlite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/gatewaykit/configstore"
)

// DefaultPath is the database file used when the config gives no path,
// relative to the base directory.
const DefaultPath = "config.db"

// Config is the driver config of the "sqlite" config store, as config.json
// has it: {"path": "config.db"}.
type Config struct {
	// Path is the database file; a relative path is relative to the base
	// directory (configstore.OpenOptions.BaseDir). Empty means DefaultPath.
	Path string `json:"path"`
}

// ParseConfig decodes the driver config strictly: an unknown field is an
// error wrapping configstore.ErrInvalid. An empty config is the zero Config.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return c, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("sqlite config: %v: %w", err, configstore.ErrInvalid)
	}
	if dec.More() {
		return Config{}, fmt.Errorf("sqlite config: trailing data after the object: %w", configstore.ErrInvalid)
	}
	return c, nil
}

// File returns the absolute path of the database file: Path, or
// DefaultPath, resolved against baseDir when relative (baseDir empty: the
// working directory).
func (c Config) File(baseDir string) (string, error) {
	p := c.Path
	if p == "" {
		p = DefaultPath
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(baseDir, p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("sqlite config: path: %w", err)
	}
	return abs, nil
}
