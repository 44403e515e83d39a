package memory

import (
	"context"
	"encoding/json"

	"github.com/gatewaykit/configstore"
)

// DriverName is the name the memory driver registers under.
const DriverName = "memory"

func init() {
	configstore.Register(DriverName, configstore.DriverFunc(open))
}

// open is the registered driver: it decodes the configuration and returns a
// new, empty backend.
func open(ctx context.Context, config json.RawMessage, _ configstore.OpenOptions) (configstore.Backend, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts, err := parseOptions(config)
	if err != nil {
		return nil, err
	}
	return New(opts), nil
}
