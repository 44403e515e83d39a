package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/gatewaykit/configstore"
)

// Driver returns the configstore.Driver of a backend whose driver config
// parse decodes and open opens, for configstore.Register.
func Driver[C any](parse func(json.RawMessage) (C, error),
	open func(context.Context, C, configstore.OpenOptions) (configstore.Backend, error)) configstore.Driver {
	return configstore.DriverFunc(func(ctx context.Context, raw json.RawMessage, opts configstore.OpenOptions) (configstore.Backend, error) {
		cfg, err := parse(raw)
		if err != nil {
			return nil, err
		}
		return open(ctx, cfg, opts)
	})
}
