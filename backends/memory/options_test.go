package memory

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

func TestDriverIsRegistered(t *testing.T) {
	if !slices.Contains(configstore.Drivers(), DriverName) {
		t.Fatalf("registered drivers %v lack %q", configstore.Drivers(), DriverName)
	}
}

func TestDriverConfig(t *testing.T) {
	for _, tc := range []struct {
		config   string
		readOnly bool
	}{
		{"", false},
		{"null", false},
		{" {} ", false},
		{`{"read_only": false}`, false},
		{`{"read_only": true}`, true},
	} {
		b, err := open(context.Background(), json.RawMessage(tc.config), configstore.OpenOptions{})
		if err != nil {
			t.Fatalf("config %q: %v", tc.config, err)
		}
		if got := b.(*Backend).ReadOnly(); got != tc.readOnly {
			t.Errorf("config %q: read-only %v, want %v", tc.config, got, tc.readOnly)
		}
	}
}

func TestDriverConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		config, mention string
	}{
		{`{"readonly": true}`, `"readonly"`},
		{`{"read_only": "yes"}`, "read_only"},
		{`{"read_only": true} {}`, "after"},
		{`[]`, "memory config"},
		{`{`, "memory config"},
	} {
		_, err := open(context.Background(), json.RawMessage(tc.config), configstore.OpenOptions{})
		if !errors.Is(err, configstore.ErrInvalid) || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("config %q: error %v, want ErrInvalid mentioning %s", tc.config, err, tc.mention)
		}
	}
}

func TestDriverOpenHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := open(ctx, nil, configstore.OpenOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("open with a cancelled context: %v", err)
	}
}
