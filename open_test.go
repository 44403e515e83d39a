package configstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
)

// fakeDriver records what Open handed it and serves a memory backend.
type fakeDriver struct {
	gotConfig json.RawMessage
	gotOpts   configstore.OpenOptions
}

func (d *fakeDriver) Open(_ context.Context, config json.RawMessage, opts configstore.OpenOptions) (configstore.Backend, error) {
	d.gotConfig, d.gotOpts = config, opts
	return memory.New(memory.Options{}), nil
}

var fake = &fakeDriver{}

func init() { configstore.Register("fake-for-open-test", fake) }

func TestOpenRegisteredDriver(t *testing.T) {
	var cfg configstore.Config
	section := `{"enabled": true, "type": "fake-for-open-test", "config": {"path": "x/config.db"}}`
	if err := json.Unmarshal([]byte(section), &cfg); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := configstore.Open(ctx, cfg, configstore.WithBaseDir("/app"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if string(fake.gotConfig) != `{"path": "x/config.db"}` {
		t.Errorf("driver got config %s, want the raw config object", fake.gotConfig)
	}
	if fake.gotOpts.BaseDir != "/app" || fake.gotOpts.Logger == nil {
		t.Errorf("driver got options %+v, want BaseDir /app and a logger", fake.gotOpts)
	}
	if err := store.CreateProvider(ctx, &configstore.Provider{Name: "openai"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GetProvider(ctx, "openai"); err != nil {
		t.Fatalf("the opened store does not work: %v", err)
	}
	if !slices.Contains(configstore.Drivers(), "fake-for-open-test") || !slices.IsSorted(configstore.Drivers()) {
		t.Errorf("Drivers() = %v", configstore.Drivers())
	}
}

func TestOpenUnknownType(t *testing.T) {
	_, err := configstore.Open(context.Background(), configstore.Config{Enabled: true, Type: "mysql"})
	if err == nil {
		t.Fatal("Open of an unregistered type succeeded")
	}
	want := `unknown config store type "mysql" (forgotten import?); registered: ` + strings.Join(configstore.Drivers(), ", ")
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

func TestOpenDisabledAndEmptyType(t *testing.T) {
	_, err := configstore.Open(context.Background(), configstore.Config{Enabled: false, Type: "memory"})
	if !errors.Is(err, configstore.ErrDisabled) {
		t.Errorf("disabled config: err = %v, want ErrDisabled", err)
	}
	_, err = configstore.Open(context.Background(), configstore.Config{Enabled: true})
	var fe *configstore.FieldError
	if !errors.As(err, &fe) || fe.Path != "config_store.type" {
		t.Errorf("empty type: err = %v, want a FieldError at config_store.type", err)
	}
}

func TestRegisterPanicsOnDuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("registering a name twice did not panic")
		}
	}()
	configstore.Register("fake-for-open-test", fake)
}
