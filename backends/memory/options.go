package memory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gatewaykit/configstore"
)

// Options configure a memory backend. They are also the driver's JSON
// configuration.
type Options struct {
	// ReadOnly makes every Write fail with configstore.ErrReadOnly.
	ReadOnly bool `json:"read_only"`
}

// parseOptions decodes the driver configuration strictly: an empty or null
// configuration means the defaults, an unknown field is an error naming it.
func parseOptions(config json.RawMessage) (Options, error) {
	var opts Options
	trimmed := bytes.TrimSpace(config)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return opts, nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&opts); err != nil {
		return Options{}, fmt.Errorf("memory config: %v: %w", err, configstore.ErrInvalid)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Options{}, fmt.Errorf("memory config: unexpected data after the JSON object: %w", configstore.ErrInvalid)
	}
	return opts, nil
}
